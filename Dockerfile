# Production-like image: gunicorn serving the portal; the same image runs the Celery worker and beat.
FROM node:20-bookworm-slim AS frontend
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY scripts/build-static scripts/build-static
RUN bash scripts/build-static

FROM python:3.12-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv PATH=/opt/venv/bin:$PATH \
    PORTAL_ENV=production STATIC_ROOT=/app/staticfiles MEDIA_ROOT=/data/media
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-liberation2 gettext \
        poppler-utils \
    && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir uv==0.13.8
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --locked --no-dev --no-install-project
COPY . .
COPY --from=frontend /build/static/vendor static/vendor
# Build-time only values: collectstatic and compilemessages need settings to load.
RUN SECRET_KEY=build-only-$(head -c 48 /dev/urandom | base64 | tr -dc a-z0-9) ALLOWED_HOSTS=build \
        python manage.py collectstatic --no-input -v 0 \
    && SECRET_KEY=build-only-$(head -c 48 /dev/urandom | base64 | tr -dc a-z0-9) ALLOWED_HOSTS=build \
        python manage.py compilemessages -v 0 --ignore=/opt/venv
RUN useradd --system --uid 1000 portal && mkdir -p /data/media && chown -R portal /data
USER portal
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
