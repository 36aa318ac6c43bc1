"""Courses as Wagtail pages (lessons, quizzes, SVO exercises), the question bank and its
interchange, attempts and grading, SVO worksheets and their review, DX execution plans."""
