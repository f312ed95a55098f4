"""``runserver`` that takes a burst of simultaneous requests, as at a residents' meeting where
everyone votes when the chair says so.

Django's development server listens with a backlog of 10 connections: the 11th arriving at the
same instant is reset before Django sees it. ``make run`` is how a small community serves the
site from one machine, so its backlog is the operating system's usual maximum instead.
"""

import socket

from django.contrib.staticfiles.management.commands.runserver import Command as RunserverCommand
from django.core.servers.basehttp import WSGIServer


class BurstTolerantWSGIServer(WSGIServer):
    request_queue_size = socket.SOMAXCONN


class Command(RunserverCommand):
    server_cls = BurstTolerantWSGIServer
