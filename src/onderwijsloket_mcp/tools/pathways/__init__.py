"""The route tool (get_pathways) and the route data model it reads: every route field name in one place."""
