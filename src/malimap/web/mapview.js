/* malimap map view: a Streamlit Custom Component (v2) in plain JS, no build step, drawn in the page itself (no iframe).
 *
 * Why not folium + streamlit-folium: they send the whole map, geometry included, on every rerun. Here each boundary
 * level's geometry is a content-hashed file fetched once (then kept in localStorage), and a rerun sends only
 * per-unit values, classes, labels and markers. Every data string reaches the page through textContent, never HTML.
 * Streamlit mounts the component in a shadow root (isolate_styles): Leaflet's CSS and ours are linked inside it, so
 * neither Streamlit's theme nor the map's styles reach the other. The page loads this module once and calls
 * `render` on every rerun with the new values.
 */
"use strict";

var memory = {};

function el(tag, cls, text) {
  var node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function loadGeometry(url, key) {
  if (memory[key]) return Promise.resolve(memory[key]);
  var stored = null;
  try { stored = window.localStorage.getItem("malimap-geo:" + key); } catch (e) { stored = null; }
  if (stored) {
    try { memory[key] = JSON.parse(stored); return Promise.resolve(memory[key]); } catch (e) { /* refetch */ }
  }
  return fetch(url).then(function (r) {
    if (!r.ok) throw new Error("geometry " + url + ": HTTP " + r.status);
    return r.text();
  }).then(function (text) {
    try {
      // one copy per level and content: drop older versions of the same level before storing the new one
      var prefix = "malimap-geo:" + key.split("-")[0] + "-";
      for (var i = window.localStorage.length - 1; i >= 0; i--) {
        var k = window.localStorage.key(i);
        if (k && k.indexOf(prefix) === 0 && k !== "malimap-geo:" + key) window.localStorage.removeItem(k);
      }
      window.localStorage.setItem("malimap-geo:" + key, text);
    } catch (e) { /* storage full or disabled: the HTTP cache still helps */ }
    memory[key] = JSON.parse(text);
    return memory[key];
  });
}

function createView(root, base) {
  var frame = root.querySelector(".malimap-root");
  var host = root.querySelector(".malimap-map");
  var state = { component: null, map: null, units: null, hatch: null, coarse: null, markers: null, geoKey: null, boundsKey: null,
                args: null, controls: {}, featureIndex: {}, selectedIndex: -1, height: 0, tiles: false, legendCollapsed: null, renders: 0,
                tileLayer: null };

  function select(pcode) {
    // a trigger value: Python reads it for one rerun (the click), then it is gone
    if (state.component) state.component.setTriggerValue("unit", pcode);
  }

  function setHeight(args) {
    var h = args.height;
    if (args.fill_viewport) {
      var vh = 720;
      vh = window.innerHeight || vh;
      h = Math.max(360, Math.round(vh * args.fill_viewport));
    }
    if (h !== state.height) {
      state.height = h;
      host.style.height = h + "px";
      if (state.map) state.map.invalidateSize();
    }
  }

  function ensureMap(args) {
    if (state.map) return;
    state.map = L.map(host, { zoomSnap: 0.25, zoomControl: true, attributionControl: false, boxZoom: false });
    state.map.setView([17.5, -4.0], 5);
    state.map.on("zoomend", function () { if (state.map && state.units) liftSmallUnits(); });
  }

  function unpack(args) {
    // values and planned counts arrive sparse ([index, value, planned] for non-zero units), classes as one character each
    var n = args.classes.length;
    args.values = new Array(n).fill(0);
    args.planned = new Array(n).fill(0);
    args.units.forEach(function (u) { args.values[u[0]] = u[1]; args.planned[u[0]] = u[2]; });
    args.classCodes = new Array(n);
    var special = args.class_codes;  // the server's one table of special codes (outputs/map_spec.py, CLASS_CODES)
    for (var i = 0; i < n; i++) {
      var ch = args.classes.charAt(i);
      args.classCodes[i] = ch in special ? special[ch] : parseInt(ch, 10);
    }
  }

  function unitStyle(i) {
    var a = state.args;
    var c = a.classCodes[i];
    var fill = c >= 0 ? a.palette[c] : c === -2 ? a.out_colour : c === -3 ? "url(#malimap-dots)" : c === -4 ? a.gap_colour : a.none_colour;
    var selected = i === state.selectedIndex;
    return { fillColor: fill, fillOpacity: c === -3 ? 1 : c === -2 ? 0.55 : (a.tiles ? 0.6 : 0.88), color: selected ? "#000" : "#4d4d4d",
             weight: selected ? 3.5 : a.line_weight, className: "malimap-unit" };
  }

  function tooltipFor(i, name) {
    var a = state.args;
    var box = el("div");
    box.appendChild(el("strong", null, name));
    var v = a.values[i], p = a.planned[i];
    if (a.classCodes[i] === -3) box.appendChild(el("div", null, a.words.unknown));
    else if (v === null) box.appendChild(el("div", null, a.words.infinite));
    else box.appendChild(el("div", null, v.toLocaleString(a.locale) + " " + (v === 1 ? a.words.one : a.words.other)));
    if (a.need_lines && a.need_lines[i]) box.appendChild(el("div", "mm-need", a.need_lines[i]));
    if (p > 0) box.appendChild(el("div", null, a.words.planned.replace("{n}", p)));
    if (a.classCodes[i] === -2) box.appendChild(el("div", null, a.words.outside));
    return box;
  }

  function fadeBoxes(tooltip) {
    // Leaflet draws tooltips under its controls: a legend or badge over the tooltip fades so the figures stay readable
    var tip = tooltip && tooltip.getElement() ? tooltip.getElement().getBoundingClientRect() : null;
    root.querySelectorAll(".mm-box").forEach(function (box) {
      var r = box.getBoundingClientRect();
      var over = tip && r.left < tip.right && tip.left < r.right && r.top < tip.bottom && tip.top < r.bottom;
      box.classList.toggle("mm-faded", !!over);
    });
  }

  function buildUnits(fc) {
    if (state.units) state.map.removeLayer(state.units);
    if (state.hatch) state.map.removeLayer(state.hatch);
    state.featureIndex = {};
    fc.features.forEach(function (f, i) { f.properties._i = i; state.featureIndex[f.properties.p] = i; });
    state.units = L.geoJSON(fc, {
      style: function (f) { return unitStyle(f.properties._i); },
      onEachFeature: function (f, layer) {
        layer.bindTooltip(function () { return tooltipFor(f.properties._i, f.properties.n); },
                          { sticky: true, className: "malimap-tooltip" });
        layer.on("click", function () { select(f.properties.p); });
        layer.on("mouseover", function () { layer.setStyle({ weight: 3, color: "#000" }); });
        layer.on("mouseout", function () { layer.setStyle(unitStyle(f.properties._i)); fadeBoxes(null); });
        layer.on("tooltipopen mousemove", function () {  // after Leaflet has moved the tooltip to the pointer
          window.requestAnimationFrame(function () { fadeBoxes(layer.isTooltipOpen() ? layer.getTooltip() : null); });
        });
      }
    }).addTo(state.map);
    state.hatch = L.geoJSON(fc, { interactive: false, style: function () { return { stroke: false, fill: false }; } })
      .addTo(state.map);
  }

  function restyle() {
    var a = state.args;
    state.selectedIndex = a.selected in state.featureIndex ? state.featureIndex[a.selected] : -1;
    state.units.eachLayer(function (layer) {
      var i = layer.feature.properties._i;
      layer.setStyle(unitStyle(i));
      if (i === state.selectedIndex) layer.bringToFront();
    });
    state.hatch.eachLayer(function (layer) {
      var i = layer.feature.properties._i;
      var on = a.planned[i] > 0 && a.classCodes[i] !== -2;
      layer.setStyle(on ? { fill: true, fillColor: "url(#malimap-hatch)", fillOpacity: 1, stroke: false }
                        : { fill: false, stroke: false });
      var path = layer.getElement();
      if (path) path.classList.toggle("malimap-planned", on);
    });
  }

  function liftSmallUnits() {
    // a unit smaller on screen than an event circle (Bamako at region level) is drawn over the circles, not hidden
    var a = state.args, map = state.map, r = a.marker_radius + 6;
    state.units.eachLayer(function (layer) {
      var b = layer.getBounds(), p = map.latLngToLayerPoint(b.getNorthWest()), q = map.latLngToLayerPoint(b.getSouthEast());
      var small = Math.max(Math.abs(q.x - p.x), Math.abs(q.y - p.y)) < 3 * r;
      if (small) layer.bringToFront();
      // seen, not in the way: the circle under it still takes the pointer (its tooltip, its click on the same place)
      layer.getElement().classList.toggle("malimap-small", small);
    });
  }

  function drawMarkers() {
    var a = state.args;
    if (state.markers) state.map.removeLayer(state.markers);
    state.markers = L.layerGroup();
    (a.markers || []).forEach(function (m) {
      var c = L.circleMarker([m.lat, m.lon], { radius: a.marker_radius + Math.min(m.n, 6), color: "#222", weight: 1.5,
                                                fillColor: "#fff", fillOpacity: 0.95, className: "malimap-event" });
      c.bindTooltip(function () { return el("div", null, m.text); });
      if (m.p) c.on("click", function () { select(m.p); });
      state.markers.addLayer(c);
    });
    state.markers.addTo(state.map);
  }

  function drawCoarse(fcs) {
    var a = state.args;
    if (state.coarse) state.map.removeLayer(state.coarse);
    state.coarse = L.layerGroup();
    var wanted = {};
    (a.coarse || []).forEach(function (c) { wanted[c.p] = c; });
    fcs.forEach(function (fc) {
      L.geoJSON(fc, {
        interactive: false,
        filter: function (f) { return f.properties.p in wanted; },
        style: function () { return { fill: false, color: "#111", weight: 2.5, dashArray: "6 5", className: "malimap-coarse" }; }
      }).addTo(state.coarse);
    });
    a.coarse.forEach(function (c) {
      var label = el("div", null, c.text);
      var icon = L.divIcon({ className: "malimap-coarse-label" + (a.large ? " mm-large" : ""), html: label, iconSize: null });
      var mk = L.marker([c.lat, c.lon], { icon: icon, keyboard: true, title: c.title });
      mk.on("click", function () { select(c.p); });
      state.coarse.addLayer(mk);
    });
    state.coarse.addTo(state.map);
  }

  function control(name, position, build) {
    if (state.controls[name]) { state.map.removeControl(state.controls[name]); delete state.controls[name]; }
    var node = build();
    if (!node) return;
    var ctl = L.control({ position: position });
    ctl.onAdd = function () { L.DomEvent.disableClickPropagation(node); L.DomEvent.disableScrollPropagation(node); return node; };
    ctl.addTo(state.map);
    state.controls[name] = ctl;
  }

  function legend() {
    var a = state.args, lg = a.legend;
    var collapsed = state.legendCollapsed === null ? lg.collapsed : state.legendCollapsed;
    var box = el("div", "malimap-legend mm-box" + (a.large ? " mm-large" : "") + (collapsed ? " mm-collapsed" : ""));
    var head = el("div", "mm-title");
    head.appendChild(el("span", null, lg.title));
    var btn = el("button", null, collapsed ? "+" : "−");
    btn.type = "button";
    btn.title = lg.toggle;
    btn.setAttribute("aria-label", lg.toggle);
    btn.onclick = function () {
      state.legendCollapsed = box.classList.toggle("mm-collapsed");
      btn.textContent = state.legendCollapsed ? "+" : "−";
    };
    head.appendChild(btn);
    box.appendChild(head);
    var body = el("div", "mm-body");
    var grid = el("div", "mm-rows");
    body.appendChild(grid);
    lg.rows.forEach(function (r) {
      var row = el("div", "mm-row");
      var sw = el("span", "mm-swatch");
      if (r[0] === "hatch") {
        sw.style.background = "repeating-linear-gradient(45deg, #333 0 2px, #fff 2px 6px)";
      } else if (r[0] === "coarse") {
        sw.style.border = "2px dashed #111"; sw.style.background = "transparent";
      } else if (r[0] === "dots") {
        sw.style.background = "radial-gradient(circle, #737373 1.1px, #fff 1.6px) 0 0 / 6px 6px";
      } else if (r[0] === "event") {
        sw.style.borderRadius = "50%"; sw.style.background = "#fff"; sw.style.border = "2px solid #222";
      } else {
        sw.style.background = r[0];
      }
      row.appendChild(sw);
      row.appendChild(el("span", null, r[1]));
      grid.appendChild(row);
    });
    if (lg.sentence && a.large) {  // on a projector the rows speak; what they count is one click away, never gone
      var more = el("button", "mm-more", lg.about);
      more.type = "button";
      more.setAttribute("aria-expanded", "false");
      var note = el("div", "mm-note mm-hidden", lg.sentence);
      more.onclick = function () {
        var open = note.classList.toggle("mm-hidden") === false;
        more.setAttribute("aria-expanded", String(open));
      };
      body.appendChild(more);
      body.appendChild(note);
    } else if (lg.sentence) body.appendChild(el("div", "mm-note", lg.sentence));
    box.appendChild(body);
    return box;
  }

  function render(args) {
    if (state.destroyed) return;
    unpack(args);
    state.args = args;
    setHeight(args);
    ensureMap(args);
    var level = loadGeometry(new URL(args.geo.url, base).href, args.geo.key);
    var coarse = Promise.all((args.coarse_geo || []).map(function (g) { return loadGeometry(new URL(g.url, base).href, g.key); }));
    Promise.all([level, coarse]).then(function (both) {
      if (state.args !== args || state.destroyed) return;  // a newer render arrived, or the map went, meanwhile
      if (state.geoKey !== args.geo.key) { buildUnits(both[0]); state.geoKey = args.geo.key; }
      if (state.tiles !== !!args.tiles) {
        if (state.tileLayer) { state.map.removeLayer(state.tileLayer); state.tileLayer = null; }
        if (args.tiles) state.tileLayer = L.tileLayer(args.tiles, { maxZoom: 18 }).addTo(state.map);
        state.tiles = !!args.tiles;
        if (state.tileLayer) state.tileLayer.bringToBack();
      }
      restyle();
      drawCoarse(both[1]);
      drawMarkers();
      liftSmallUnits();
      control("legend", "topleft", legend);
      control("note", "bottomright", function () {
        return args.legend.note ? el("div", "malimap-note", args.legend.note) : null;
      });
      control("caption", "topright", function () {
        return args.caption ? el("div", "malimap-caption mm-box" + (args.large ? " mm-large" : ""), args.caption) : null;
      });
      control("national", "bottomright", function () {
        if (!args.national) return null;
        var b = el("button", "malimap-national mm-box" + (args.large ? " mm-large" : ""), args.national.text);
        b.type = "button";
        b.onclick = function () { select(args.national.p); };
        return b;
      });
      var bk = JSON.stringify(args.bounds);
      if (bk !== state.boundsKey) {
        state.boundsKey = bk;
        // no animation: a filter change redraws at once, and no zoom timer outlives the map if the page moves on
        state.map.fitBounds(args.bounds, { padding: [8, 8], animate: false });
      }
      frame.setAttribute("data-ready", args.geo.key);
      state.renders += 1;
      frame.setAttribute("data-renders", String(state.renders));
    }).catch(function (err) {
      var msg = el("div", "mm-box", args.words.error + " " + err.message);
      msg.style.cssText = "position:absolute;top:1em;left:4em;z-index:1000;color:#a00";
      frame.appendChild(msg);
    });
  }

  function onResize() { if (state.args && state.map) setHeight(state.args); }
  window.addEventListener("resize", onResize);
  return {
    state: state,
    render: render,
    destroy: function () {
      // In the page (no iframe), a map's timers outlive its element: stop its animations and drop its listeners
      // before removing it, so a zoom that was under way never runs on a removed map.
      var map = state.map;
      state.map = null;
      state.destroyed = true;
      window.removeEventListener("resize", onResize);
      if (!map) return;
      map.stop();
      map.off();
      if (map._animatingZoom) map._onZoomTransitionEnd();  // Leaflet leaves this timer running after remove()
      map.remove();
    }
  };
}

var views = new WeakMap();  // one map per mounted component, kept across reruns
var leafletReady = null;

function loadLeaflet(src) {
  // Leaflet is a classic script: loaded once per page into the document, from the app's own static copy (offline)
  if (window.L) return Promise.resolve(window.L);
  if (!leafletReady) {
    leafletReady = new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = function () { resolve(window.L); };
      script.onerror = function () { leafletReady = null; reject(new Error("Leaflet: " + src)); };
      document.head.appendChild(script);
    });
  }
  return leafletReady;
}

function linkStyles(root, hrefs) {
  // inside the shadow root, so they style the map and nothing else; drawing waits for them (Leaflet measures its panes)
  return Promise.all(hrefs.map(function (href) {
    var link = root.querySelector('link[data-mm="' + href + '"]');
    if (link) return link.mmLoaded;
    link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    link.setAttribute("data-mm", href);
    link.mmLoaded = new Promise(function (resolve) { link.onload = resolve; link.onerror = resolve; });
    root.appendChild(link);  // in order: Leaflet's rules first, ours over them
    return link.mmLoaded;
  }));
}

function connected(root) {
  return root.host ? root.host.isConnected : root.isConnected;
}

export function render(component) {
  var root = component.parentElement;
  var data = component.data;
  var base = new URL(data.base, document.baseURI).href;
  var view = views.get(root);
  if (!view) {
    view = createView(root, base);
    views.set(root, view);
  }
  view.state.component = component;
  var styles = linkStyles(root, [new URL(data.leaflet + "leaflet.css", document.baseURI).href, new URL("mapview.css?v=" + data.version, base).href]);
  Promise.all([loadLeaflet(new URL(data.leaflet + "leaflet.js", document.baseURI).href), styles]).then(function () {
    view.render(data.spec);
  });
  return function cleanup() {
    // Streamlit calls this when the component goes (or, late, after a newer render): drop the map only if it has gone
    setTimeout(function () {
      if (!connected(root) && views.get(root) === view) { view.destroy(); views.delete(root); }
    }, 0);
  };
}
