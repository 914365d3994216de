"""Writing with the model: streamed generation, drafts from facts and precedents, summaries, export."""
