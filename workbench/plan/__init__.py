"""对照要点: a 工作要点 parsed into items, the year's facts matched to them, each item's status by rule."""
