from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from fundwatch.web.views import api, audit, dashboard, files, funds, intake, leads, linking, signals, subjects

urlpatterns = [
    path("", dashboard.home, name="home"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("leads/", leads.lead_list, name="lead_list"),
    path("leads/export.csv", leads.lead_export, name="lead_export"),
    path("leads/new/", leads.lead_create, name="lead_create"),
    path("leads/<int:pk>/", leads.lead_detail, name="lead_detail"),
    path("leads/<int:pk>/edit/", leads.lead_edit, name="lead_edit"),
    path("leads/<int:pk>/transition/", leads.lead_transition, name="lead_transition"),
    path("leads/<int:pk>/follow-up/", leads.lead_follow_up, name="lead_follow_up"),
    path("leads/<int:pk>/upload/", leads.lead_upload, name="lead_upload"),
    path("leads/<int:pk>/reveal-id/", leads.lead_reveal_id, name="lead_reveal_id"),
    path("leads/<int:pk>/upward-report/", leads.lead_upward_report, name="lead_upward_report"),
    path("subjects/", subjects.subject_list, name="subject_list"),
    path("subjects/<int:pk>/", subjects.subject_detail, name="subject_detail"),
    path("people/<int:pk>/reveal/", linking.person_reveal, name="person_reveal"),
    path("links/<int:pk>/review/", linking.link_review, name="link_review"),
    path("linking/", linking.linking_home, name="linking_home"),
    path("linking/run/", linking.linking_run, name="linking_run"),
    path("linking/upload/", linking.linking_upload, name="linking_upload"),
    path("funds/", funds.funds_home, name="funds_home"),
    path("funds/imports/<int:pk>/", funds.funds_import_detail, name="funds_import_detail"),
    path("funds/imports/<int:pk>/rejects.csv", funds.funds_rejects, name="funds_rejects"),
    path("signals/", signals.signal_list, name="signal_list"),
    path("signals/<int:pk>/", signals.signal_detail, name="signal_detail"),
    path("signals/<int:pk>/open-lead/", signals.signal_open_lead, name="signal_open_lead"),
    path("signals/<int:pk>/reveal/", signals.signal_reveal, name="signal_reveal"),
    path("signals/<int:pk>/reward/", signals.signal_reward, name="signal_reward"),
    path("attachments/<int:pk>/", files.attachment_download, name="attachment_download"),
    path("report/", intake.public_report, name="public_report"),
    path("grid/", intake.grid_report, name="grid_report"),
    path("audit/", audit.audit_list, name="audit_list"),
    path("api/dashboard/", api.api_dashboard, name="api_dashboard"),
    path("api/leads/", api.api_leads, name="api_leads"),
    path("api/leads/<int:pk>/", api.api_lead, name="api_lead"),
    path("reports/", include("fundwatch.reports.webapp.urls")),
    path("admin/", admin.site.urls),
]

admin.site.site_header = admin.site.site_title = "非法集资风险监测预警平台 · 系统管理"
