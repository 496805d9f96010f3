"""Text embeddings get a `part`: "full" (facet line + name + logline + synopsis) or "short"
(name + logline), so a text can hold two vectors; the unique key gains the part."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0001_initial"),
        ("discovery", "0003_keyword_side_tables"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="textembedding",
            name="text_embedding_unique",
        ),
        migrations.AddField(
            model_name="textembedding",
            name="part",
            field=models.CharField(default="full", max_length=8),
        ),
        migrations.AddConstraint(
            model_name="textembedding",
            constraint=models.UniqueConstraint(
                fields=("title", "language", "model", "part"), name="text_embedding_part_unique"
            ),
        ),
    ]
