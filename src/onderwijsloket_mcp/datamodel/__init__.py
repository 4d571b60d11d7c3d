"""The Onderwijsloket data model as the resources describe it: what the documentation says (the catalogue,
with the one policy table), the schema model, where it is loaded from, and its markdown."""
