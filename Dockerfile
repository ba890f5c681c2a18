# The web app for the production-shaped stack in docker-compose.yml (target "web"), and the
# static mirror's exporter (target "mirror": the same app plus rclone, to publish the copy).
FROM python:3.11-slim AS web
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
# flite speaks the CAPTCHA's audio version; sox puts the noise in it that protects it;
# libraqm0 (with FriBiDi) lets Pillow lay Persian out right to left (pages/opengraph.py).
RUN apt-get update && apt-get install -y --no-install-recommends flite sox libraqm0 \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN useradd --system --no-create-home app && chown -R app /app
USER app
EXPOSE 8000
CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py", "cms.wsgi"]

FROM web AS mirror
USER root
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends rclone \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /export && chown app /export
USER app
CMD ["sh", "deploy/mirror/publish.sh"]
