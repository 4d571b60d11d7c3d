"""The Navigator tools: programmes (find_programs_near, get_program) and regional desks (list_regional_desks),
with what they share (places, programme parts, the Navigator policy)."""
