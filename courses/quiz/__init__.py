"""Quizzes: drawing the questions of an attempt from the quiz's slots and the bank."""
