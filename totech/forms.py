from django.forms.renderers import TemplatesSetting


class BootstrapFormRenderer(TemplatesSetting):
    """Renders every form and field with Bootstrap 5 markup, so templates just write {{ form }}."""

    form_template_name = "forms/bootstrap_form.html"
    field_template_name = "forms/bootstrap_field.html"
