"""What comes in as files: one guarded spreadsheet reader, 3W/5W sheets (rows, places, dates, the worker), need layers, and packages kept."""
