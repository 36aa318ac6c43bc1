"""Roster import screens. (Being written.)"""

from django.http import HttpResponse


def upload(request):
    return HttpResponse("")


def detail(request, pk):
    return HttpResponse("")


def status(request, pk):
    return HttpResponse("")


def apply(request, pk):
    return HttpResponse("")
