"""The interactive docs page works with no network: Swagger UI's files come from the
Python package that ships them, served by the app itself."""

from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

DOCS = "/api/v1/docs"


class References(HTMLParser):
    """Every src and href in a page."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found += [(tag, value) for name, value in attrs if name in ("src", "href") and value]


def references(html):
    parser = References()
    parser.feed(html)
    return parser.found


def test_the_docs_page_references_no_external_host(anonymous):
    response = anonymous.get(DOCS)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    found = references(html)
    assert {tag for tag, _ in found} == {"link", "script"}
    outside = [
        value
        for _, value in found
        if value.startswith(("http://", "https://", "//")) or urlparse(value).netloc
    ]
    assert outside == []
    assert "http://" not in html and "https://" not in html


def test_every_file_the_docs_page_references_is_served_by_the_app(anonymous):
    found = references(anonymous.get(DOCS).get_data(as_text=True))
    kinds = {}
    for _, value in found:
        path = urljoin("http://muster.test" + DOCS, value)
        assert urlparse(path).netloc == "muster.test"
        response = anonymous.client.get(urlparse(path).path)  # outside /api/v1
        assert response.status_code == 200, value
        assert len(response.get_data()) > 1000, value
        kinds[value.rsplit(".", 1)[-1]] = response.mimetype
    assert kinds == {"css": "text/css", "js": "text/javascript"}
    # the spec the page loads is served too, and without a token
    assert anonymous.get("/api/v1/openapi.json").status_code == 200


def test_the_assets_route_serves_only_swagger_uis_files(anonymous):
    for path in (
        "/docs-assets/swagger-ui/../__init__.py",
        "/docs-assets/swagger-ui/%2e%2e/__init__.py",
        "/docs-assets/swagger-ui/no-such-file.js",
    ):
        assert anonymous.client.get(path).status_code == 404, path
    assert anonymous.client.get("/docs-assets/swagger-ui/swagger-ui-bundle.js").status_code == 200


def test_the_docs_page_asks_no_outside_validator_for_a_badge(anonymous):
    html = anonymous.get(DOCS).get_data(as_text=True)
    assert '"validatorUrl": null' in html.replace("'", '"')
