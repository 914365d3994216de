"""The five pages of the web app, one module each: each builds its tab inside the current Blocks and wires its handlers."""
