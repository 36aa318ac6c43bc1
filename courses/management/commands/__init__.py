"""``import_questions`` (GIFT, Moodle XML) and ``svo_check`` (the checker's figures)."""
