"""The catalogue the pages read: the dataset joined to boundaries (build), its columns, its on-disk cache, public-mode redaction, the organisation index."""
