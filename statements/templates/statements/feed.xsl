{% load static i18n languages %}<?xml version="1.0" encoding="utf-8"?>
{% comment %}How the RSS and Atom feeds look when someone opens one in a browser: a page in the
site's style that says what a feed is and how to subscribe, then the latest titles and
summaries. Feed readers ignore it. Served per language (statements.views.FeedStylesheetView),
so its words go through gettext; no inline style or script (the feed's CSP governs the page).
The descriptions are plain text escaped for HTML (statements.feeds), so they are written out
as they are and read as text; browsers without `disable-output-escaping` show the escapes.{% endcomment %}
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom"
  exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat"/>

  <xsl:variable name="title" select="/rss/channel/title | /atom:feed/atom:title"/>
  <xsl:variable name="address" select="/rss/channel/atom:link[@rel='self']/@href | /atom:feed/atom:link[@rel='self']/@href"/>

  <xsl:template match="/">
    <html {% html_attributes %}>
      <head>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>{% translate "Feed:" %} <xsl:value-of select="$title"/></title>
        <link rel="stylesheet" href="{% static 'css/site.css' %}"/>
      </head>
      <body>
        <header class="site-header">
          <div class="wrap"><a class="site-name" href="{% url 'statements:home' %}"><xsl:value-of select="$title"/></a></div>
        </header>
        <main id="main" class="wrap feed-preview">
          <section class="notice feed-about" aria-labelledby="feed-about-heading">
            <h1 id="feed-about-heading">{% translate "This is a feed" %}</h1>
            <p>{% translate "A feed lists the latest statements in a form that feed readers and news apps understand: subscribe once, and every new statement reaches you, even where the site is blocked." %}</p>
            <p>{% translate "To subscribe, copy this address into your feed reader:" %}</p>
            <p><code class="feed-address" dir="ltr"><xsl:value-of select="$address"/></code></p>
            <p><a href="{% url 'statements:list' %}">{% translate "Or read the statements on the site." %}</a></p>
          </section>
          <h2>{% translate "Latest in this feed" %}</h2>
          <ol class="feed-items">
            <xsl:apply-templates select="/rss/channel/item | /atom:feed/atom:entry"/>
          </ol>
        </main>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="item">
    <li>
      <h3><a href="{link}"><xsl:value-of select="title"/></a></h3>
      <p><xsl:value-of select="description" disable-output-escaping="yes"/></p>
    </li>
  </xsl:template>

  <xsl:template match="atom:entry">
    <li>
      <h3><a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a></h3>
      <p><xsl:value-of select="atom:summary" disable-output-escaping="yes"/></p>
    </li>
  </xsl:template>
</xsl:stylesheet>
