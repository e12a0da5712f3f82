"""What goes out: the map's spec for the browser, the map as SVG and as an offline HTML file, charts, exports, an upload's landing map."""
