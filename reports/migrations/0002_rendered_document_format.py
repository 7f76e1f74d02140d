from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """ReportPdf becomes RenderedDocument: the same rows (all PDFs), now with their format."""

    dependencies = [
        ("assessments", "0007_reassessment_carried_answers"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("reports", "0001_report_pdf"),
    ]

    operations = [
        migrations.RenameModel(old_name="ReportPdf", new_name="RenderedDocument"),
        migrations.AddField(
            model_name="rendereddocument",
            name="format",
            field=models.CharField(
                choices=[("pdf", "PDF"), ("odt", "ODT"), ("docx", "DOCX")],
                default="pdf",
                max_length=4,
            ),
        ),
    ]
