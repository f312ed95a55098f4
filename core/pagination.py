"""Pagination that never fails on a bad ``?page=``: anything but a valid number gives page one,
a number past the end gives the last page."""

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator

from core.numbers import request_int


def paginate(request, items, per_page: int = 20, param: str = "page") -> PaginatorPage:
    return Paginator(items, per_page).get_page(request_int(request.GET.get(param), minimum=1))
