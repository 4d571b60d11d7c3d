"""Places: the offline gazetteer, the geocoder (offline first, PDOK when enabled) and geometry on the sphere
PostGIS uses."""
