"""Marking essay answers by hand: the queue of attempts waiting (「採点待ち」), the marking
screen and the service that scores the essays and finishes the attempt's grading.

Who marks is answered by ``org.access.markable``: the quiz's chosen markers
(``QuizPage.markers``) and, by default, whoever reviews the learner's worksheets (the DX PROs
of their unit, HR where the unit has none); never one's own.
"""
