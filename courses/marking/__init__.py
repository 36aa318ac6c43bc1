"""Marking essay answers by hand: the queue of attempts waiting (「採点待ち」), the marking
screen and the service that scores the essays and finishes the attempt's grading.

Who marks is answered by ``org.access.markable``: the quiz's chosen markers
(``QuizPage.markers``) and, by default, the DX PROs of the learner's unit; never one's own.
"""
