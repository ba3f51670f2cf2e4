from django.contrib import admin

from fundwatch.reports.webapp.models import AreaScreening, BlacklistEntry, Campaign, Submission


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "key", "region")


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("campaign", "unit", "kind", "title", "submitted_on")
    list_filter = ("campaign", "kind")


@admin.register(AreaScreening)
class AreaScreeningAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("region", "screened_on", "declared_free")


@admin.register(BlacklistEntry)
class BlacklistAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "uscc", "listed_on", "delisted_on")
