"""A small HTML reader for checking what a page shows a person and a screen reader."""

from html.parser import HTMLParser


class Element:
    def __init__(self, tag: str, attrs: dict[str, str | None]):
        self.tag = tag
        self.attrs = attrs
        self.text = ""

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attrs.get(name, default)


class PageReader(HTMLParser):
    """Collects every element with its attributes and the text inside it."""

    VOID_TAGS = {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
    }

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[Element] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs))
        self.elements.append(element)
        if tag not in self.VOID_TAGS:
            self._open.append(element)

    def handle_endtag(self, tag):
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index].tag == tag:
                del self._open[index]
                break

    def handle_data(self, data):
        for element in self._open:
            element.text += data

    def find_all(self, tag: str) -> list[Element]:
        return [element for element in self.elements if element.tag == tag]

    def first(self, tag: str) -> Element | None:
        found = self.find_all(tag)
        return found[0] if found else None

    def text_of(self, marker: str) -> str:
        """The text of the elements whose id is ``marker`` or whose classes include it."""
        return " ".join(
            element.text
            for element in self.elements
            if element.get("id") == marker or marker in (element.get("class") or "").split()
        )
