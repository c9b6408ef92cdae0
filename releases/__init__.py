"""Press releases read into draft missions: extraction, resolution against the directory, review and confirm."""
