"""The I/O layer: the only place that opens files (VCF in/out, tables, reports)."""
