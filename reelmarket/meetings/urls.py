from django.urls import path

from reelmarket.meetings import views, views_agenda, views_organiser

app_name = "meetings"
urlpatterns: list = [
    # Requests (views.py)
    path("", views.requests_page, name="requests"),
    path("request/", views.request_new, name="request_new"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/accept/", views.request_accept, name="accept"),
    path("requests/<int:pk>/decline/", views.request_decline, name="decline"),
    path("requests/<int:pk>/cancel/", views.request_cancel, name="cancel"),
    path("requests/<int:pk>/book/", views.request_book, name="book"),
    path("requests/<int:pk>/colleagues/", views.request_colleagues, name="colleagues"),
    # Availability, agenda, calendar (views_agenda.py)
    path("availability/", views_agenda.availability, name="availability"),
    path("availability/toggle/", views_agenda.availability_toggle, name="availability_toggle"),
    path("availability/hours/", views_agenda.working_hours, name="working_hours"),
    path("agenda/", views_agenda.agenda, name="agenda"),
    path("agenda/<str:day>/print/", views_agenda.day_sheet, name="day_sheet"),
    path("calendar-feed/", views_agenda.feed_manage, name="feed_manage"),
    path("feed/<str:token>.ics", views_agenda.feed, name="feed"),
    path("<int:pk>.ics", views_agenda.meeting_ics, name="meeting_ics"),
    # Organisers (views_organiser.py)
    path("organiser/grid/", views_organiser.grid_settings, name="grid"),
    path("organiser/occupancy/", views_organiser.occupancy, name="occupancy"),
    path("organiser/check-in/", views_organiser.check_in, name="check_in"),
    path("organiser/check-in/<int:pk>/", views_organiser.check_in_mark, name="check_in_mark"),
]
