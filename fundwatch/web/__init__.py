"""The office's web platform (Django): accounts and scopes, subjects, leads, workflow, intake, dashboard, audit."""
