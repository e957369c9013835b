# The platform's image: web (gunicorn), celery worker and beat all run it. See docker-compose.yml.
FROM python:3.11-slim

# DEBUG is off in the image unless the container is given DEBUG=true (settings.py defaults it on
# for development, where nothing is set).
ENV DEBUG=false \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONPATH=/app \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MEDIA_ROOT=/data/media

WORKDIR /app
COPY . .
RUN pip install .

# Static files are collected into the image. The secret key here is a dummy that exists only for
# this one step; the running containers must be given SECRET_KEY (docker-compose.yml requires it).
RUN DEBUG=false SECRET_KEY=build-time-dummy-collectstatic-only ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput

RUN useradd --system --create-home --uid 10001 scrutiny \
    && mkdir -p /data/media \
    && chown scrutiny:scrutiny /data/media
USER scrutiny

EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000"]
