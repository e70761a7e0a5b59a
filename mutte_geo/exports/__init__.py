"""Files for users: pictures, report packs, offline HTML, tables and GIS layers."""
