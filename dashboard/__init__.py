"""医联体协作看板 — shared code for the pages, the build and the importer."""
