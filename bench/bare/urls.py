from django.db import connection
from django.shortcuts import render
from django.urls import path


def page(request):
    """One query, a small template."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, name, slug FROM groups_group ORDER BY id LIMIT 10")
        groups = [{"id": row[0], "name": row[1], "slug": row[2]} for row in cursor.fetchall()]
    return render(request, "bare.html", {"groups": groups})


urlpatterns = [path("", page)]
