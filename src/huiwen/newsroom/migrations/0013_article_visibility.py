from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('newsroom', '0012_channel_redirect_is_the_channels'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='article',
            index=models.Index(fields=['id', 'status', 'published_at', 'channel', 'publisher', 'story'], name='article_visibility'),
        ),
    ]
