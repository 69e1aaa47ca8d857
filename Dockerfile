# Souk Export: one image for the web server (gunicorn), the Celery worker and Celery beat.
# See docs/docker.md; docker-compose.yml runs the whole stack.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production

WORKDIR /app

# Every pinned package ships a manylinux wheel (psycopg[binary], Pillow), so no apt packages are needed.
COPY requirements.lock ./
RUN pip install -r requirements.lock

COPY . .

# collectstatic loads the production settings, which insist on these two; the values are for this step only.
RUN SECRET_KEY=build-only-not-a-secret ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput \
    && groupadd --system --gid 1000 souk \
    && useradd --system --uid 1000 --gid souk --create-home --home-dir /home/souk souk \
    && mkdir -p /data/media /data/private \
    && chown souk:souk /data/media /data/private

# The code stays owned by root and read-only for the app; uploads go to /data/media (a volume in compose).
USER souk
ENV MEDIA_ROOT=/data/media PRIVATE_MEDIA_ROOT=/data/private

EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
