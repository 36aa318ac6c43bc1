"""HR's roster page. (Being written.)"""

from django.http import HttpResponse


def roster(request):
    return HttpResponse("")
