/**
 * The page's own script, inlined into report.html (no network, no libraries): draws the events
 * of the window, the detected boxes coloured by density and the ground-truth circles on a canvas,
 * and a timeline of the run under the slider. Plain ES2017 so any current browser runs it.
 */
export const REPORT_SCRIPT = String.raw`
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("report-data").textContent);
  var B = D.bounds;
  var bytes = Uint8Array.from(atob(D.points), function (c) { return c.charCodeAt(0); });
  var view = new DataView(bytes.buffer);
  var n = bytes.length / 4;
  var lonSpan = B.maxLon - B.minLon, latSpan = B.maxLat - B.minLat;
  var lat0 = (B.minLat + B.maxLat) / 2;
  var aspect = latSpan / (lonSpan * Math.cos(lat0 * Math.PI / 180));
  var W = 500, H = Math.round(Math.min(1100, Math.max(280, W * aspect)));
  var ratio = window.devicePixelRatio || 1;

  var map = document.getElementById("map");
  map.style.width = W + "px"; map.style.height = H + "px";
  map.width = W * ratio; map.height = H * ratio;
  var ctx = map.getContext("2d");
  ctx.scale(ratio, ratio);

  var px = new Float32Array(n), py = new Float32Array(n);
  for (var i = 0; i < n; i++) {
    px[i] = view.getUint16(i * 4, true) / 65535 * W;
    py[i] = H - view.getUint16(i * 4 + 2, true) / 65535 * H;
  }
  function x(lon) { return (lon - B.minLon) / lonSpan * W; }
  function y(lat) { return H - (lat - B.minLat) / latSpan * H; }

  // Density colours: pale yellow (sparse) to deep purple (dense), on a log scale.
  var STOPS = [[252, 236, 120], [249, 142, 9], [200, 55, 84], [87, 16, 110]];
  var dMin = Math.log(Math.max(1, D.densityRange[0])), dMax = Math.log(Math.max(2, D.densityRange[1]));
  function colour(density, alpha) {
    var f = dMax > dMin ? (Math.log(Math.max(1, density)) - dMin) / (dMax - dMin) : 1;
    f = Math.min(1, Math.max(0, f)) * (STOPS.length - 1);
    var k = Math.min(STOPS.length - 2, Math.floor(f)), t = f - k, a = STOPS[k], b = STOPS[k + 1];
    return "rgba(" + Math.round(a[0] + (b[0] - a[0]) * t) + "," + Math.round(a[1] + (b[1] - a[1]) * t) + "," +
      Math.round(a[2] + (b[2] - a[2]) * t) + "," + alpha + ")";
  }
  // A box matching the truth is outlined in its own colour; one matching none in dashed black.
  function outline(c, x0, y0, w, h, b) {
    c.lineWidth = 2;
    if (b[5] >= 0) { c.strokeStyle = colour(b[4], 1); c.strokeRect(x0, y0, w, h); return; }
    c.setLineDash([3, 2]); c.strokeStyle = "#111"; c.strokeRect(x0 - 1, y0 - 1, w + 2, h + 2); c.setLineDash([]);
  }
  var legend = document.getElementById("legend");
  if (legend) {
    legend.style.background = "linear-gradient(to right," + [0, 0.33, 0.66, 1].map(function (f) {
      return colour(Math.exp(dMin + (dMax - dMin) * f), 1);
    }).join(",") + ")";
  }

  // Every event of the run, faint, drawn once.
  var base = document.createElement("canvas");
  base.width = map.width; base.height = map.height;
  var bctx = base.getContext("2d");
  bctx.scale(ratio, ratio);
  bctx.fillStyle = "#f3f0e8"; bctx.fillRect(0, 0, W, H);
  bctx.strokeStyle = "#e2ddd0"; bctx.lineWidth = 1;
  bctx.fillStyle = "#8a8474"; bctx.font = "10px sans-serif";
  var g = gridStep(lonSpan);
  for (var lon = Math.ceil(B.minLon / g) * g; lon <= B.maxLon; lon += g) {
    bctx.beginPath(); bctx.moveTo(x(lon), 0); bctx.lineTo(x(lon), H); bctx.stroke();
    bctx.fillText(lon.toFixed(2), x(lon) + 2, H - 3);
  }
  for (var lat = Math.ceil(B.minLat / g) * g; lat <= B.maxLat; lat += g) {
    bctx.beginPath(); bctx.moveTo(0, y(lat)); bctx.lineTo(W, y(lat)); bctx.stroke();
    bctx.fillText(lat.toFixed(2), 2, y(lat) - 2);
  }
  bctx.fillStyle = "rgba(120,114,100,0.10)";
  for (var j = 0; j < n; j++) bctx.fillRect(px[j] - 0.5, py[j] - 0.5, 1.2, 1.2);
  function gridStep(span) { var s = Math.pow(10, Math.floor(Math.log10(span))); return span / s > 4 ? s : s / 2; }

  var slider = document.getElementById("frame");
  slider.max = String(D.frames.length - 1);
  var info = document.getElementById("frame-info");

  function truthCentre(h, time) {
    var f = h.end > h.start ? Math.min(1, Math.max(0, (time - h.start) / (h.end - h.start))) : 0;
    return [h.lon + (h.endLon - h.lon) * f, h.lat + (h.endLat - h.lat) * f];
  }

  function draw(fi) {
    var frame = D.frames[fi], pos = frame[0], time = frame[1], boxes = frame[2];
    ctx.drawImage(base, 0, 0, W, H);
    // Events in the window the detector held at this record.
    ctx.fillStyle = "rgba(40,40,40,0.55)";
    var from = Math.max(0, Math.floor((pos - D.windowSize + 1) / D.pointStride)), to = Math.min(n - 1, Math.floor(pos / D.pointStride));
    for (var i = from; i <= to; i++) ctx.fillRect(px[i] - 1, py[i] - 1, 2, 2);
    // Ground truth: dashed circles while a gathering is on.
    ctx.setLineDash([4, 3]); ctx.lineWidth = 1.5; ctx.strokeStyle = "#0b6fa4"; ctx.fillStyle = "#0b6fa4";
    ctx.font = "bold 11px sans-serif";
    var live = 0;
    D.truth.forEach(function (h) {
      if (pos < h.startPos || pos > h.endPos) return;
      live++;
      var c = truthCentre(h, time);
      var rx = Math.max(4, h.radius / lonSpan * W), ry = Math.max(4, h.radius / latSpan * H);
      ctx.beginPath(); ctx.ellipse(x(c[0]), y(c[1]), rx + 3, ry + 3, 0, 0, 2 * Math.PI); ctx.stroke();
      ctx.fillText(h.id, x(c[0]) + rx + 5, y(c[1]) - ry);
    });
    ctx.setLineDash([]);
    // Detected hotspots: boxes coloured by density.
    boxes.forEach(function (b) {
      var x0 = x(b[0]), y0 = y(b[3]), w = Math.max(5, x(b[2]) - x0), h = Math.max(5, y(b[1]) - y0);
      ctx.fillStyle = colour(b[4], 0.55); ctx.fillRect(x0, y0, w, h);
      outline(ctx, x0, y0, w, h, b);
    });
    var matched = boxes.filter(function (b) { return b[5] >= 0; }).length;
    info.textContent = new Date(time).toISOString().replace("T", " ").replace(".000Z", "Z") + "  \u00b7  record " +
      (pos + 1) + " of " + D.records + "  \u00b7  " + boxes.length + " hotspot" + (boxes.length === 1 ? "" : "s") +
      " detected (" + matched + " matching the truth)  \u00b7  " + live + " injected hotspot" + (live === 1 ? "" : "s") + " on";
    drawTimeline(fi);
  }

  // Timeline: one row per injected hotspot (its interval, and the frames where it was detected),
  // one row for detections that match none.
  var tl = document.getElementById("timeline");
  var TW = 500, rows = D.truth.length + 1, RH = 14, TH = rows * RH + 8;
  tl.style.width = TW + "px"; tl.style.height = TH + "px";
  tl.width = TW * ratio; tl.height = TH * ratio;
  var tctx = tl.getContext("2d");
  tctx.scale(ratio, ratio);
  var LABEL = 46, span = Math.max(1, D.records - 1);
  function tx(pos) { return LABEL + pos / span * (TW - LABEL - 4); }
  function drawTimeline(fi) {
    tctx.clearRect(0, 0, TW, TH);
    tctx.font = "10px sans-serif";
    D.truth.forEach(function (h, r) {
      var top = 4 + r * RH;
      tctx.fillStyle = "#555"; tctx.fillText(h.id, 2, top + 10);
      tctx.fillStyle = "rgba(11,111,164,0.18)"; tctx.fillRect(tx(h.startPos), top, Math.max(1, tx(h.endPos) - tx(h.startPos)), RH - 3);
    });
    tctx.fillStyle = "#555"; tctx.fillText("other", 2, 4 + D.truth.length * RH + 10);
    var fw = Math.max(1, (TW - LABEL) / D.frames.length);
    D.frames.forEach(function (f) {
      var seen = {};
      f[2].forEach(function (b) {
        var r = b[5] >= 0 ? b[5] : D.truth.length;
        if (seen[r]) return;
        seen[r] = true;
        tctx.fillStyle = b[5] >= 0 ? "#0b6fa4" : "#111";
        tctx.fillRect(tx(f[0]) - fw / 2, 4 + r * RH + 3, fw, RH - 9);
      });
    });
    tctx.fillStyle = "#222"; tctx.fillRect(tx(D.frames[fi][0]) - 1, 0, 2, TH);
  }
  tl.addEventListener("click", function (e) {
    var rect = tl.getBoundingClientRect();
    var pos = (e.clientX - rect.left - LABEL) / (TW - LABEL - 4) * span;
    var best = 0;
    D.frames.forEach(function (f, i) { if (Math.abs(f[0] - pos) < Math.abs(D.frames[best][0] - pos)) best = i; });
    slider.value = String(best); draw(best);
  });

  slider.addEventListener("input", function () { draw(Number(slider.value)); });
  var play = document.getElementById("play"), timer = null;
  play.addEventListener("click", function () {
    if (timer) { clearInterval(timer); timer = null; play.textContent = "\u25b6 Play"; return; }
    play.textContent = "\u275a\u275a Pause";
    timer = setInterval(function () {
      var next = (Number(slider.value) + 1) % D.frames.length;
      slider.value = String(next); draw(next);
    }, 80);
  });

  // Small multiples: each injected hotspot up close, in the middle of its interval.
  var insets = document.getElementById("insets");
  D.truth.forEach(function (h) {
    var mid = (h.startPos + h.endPos) / 2, fi = 0;
    D.frames.forEach(function (f, i) { if (Math.abs(f[0] - mid) < Math.abs(D.frames[fi][0] - mid)) fi = i; });
    var frame = D.frames[fi], c = truthCentre(h, frame[1]);
    var S = 132, half = Math.max(h.radius * 4, 0.006);
    var kx = Math.cos(c[1] * Math.PI / 180);
    var fig = document.createElement("figure");
    var cv = document.createElement("canvas");
    cv.style.width = S + "px"; cv.style.height = S + "px"; cv.width = S * ratio; cv.height = S * ratio;
    var ic = cv.getContext("2d");
    ic.scale(ratio, ratio);
    function ix(lon) { return S / 2 + (lon - c[0]) * kx / half * S / 2; }
    function iy(lat) { return S / 2 - (lat - c[1]) / half * S / 2; }
    ic.fillStyle = "#f3f0e8"; ic.fillRect(0, 0, S, S);
    ic.fillStyle = "rgba(40,40,40,0.6)";
    var from = Math.max(0, Math.floor((frame[0] - D.windowSize + 1) / D.pointStride)), to = Math.min(n - 1, Math.floor(frame[0] / D.pointStride));
    for (var i = from; i <= to; i++) {
      var lon = B.minLon + view.getUint16(i * 4, true) / 65535 * lonSpan, lat = B.minLat + view.getUint16(i * 4 + 2, true) / 65535 * latSpan;
      var qx = ix(lon), qy = iy(lat);
      if (qx >= 0 && qx <= S && qy >= 0 && qy <= S) ic.fillRect(qx - 1, qy - 1, 2, 2);
    }
    frame[2].forEach(function (b) {
      var x0 = ix(b[0]), y0 = iy(b[3]), w = Math.max(3, ix(b[2]) - x0), hh = Math.max(3, iy(b[1]) - y0);
      ic.fillStyle = colour(b[4], 0.4); ic.fillRect(x0, y0, w, hh);
      outline(ic, x0, y0, w, hh, b);
    });
    ic.setLineDash([4, 3]); ic.lineWidth = 1.5; ic.strokeStyle = "#0b6fa4";
    ic.beginPath(); ic.ellipse(S / 2, S / 2, h.radius * kx / half * S / 2, h.radius / half * S / 2, 0, 0, 2 * Math.PI); ic.stroke();
    var cap = document.createElement("figcaption");
    cap.textContent = h.id + " · " + new Date(frame[1]).toISOString().slice(11, 19) + (h.found ? "" : " · missed");
    cap.title = h.name;
    fig.appendChild(cv); fig.appendChild(cap);
    fig.addEventListener("click", function () { slider.value = String(fi); draw(fi); });
    insets.appendChild(fig);
  });

  // Start on the busiest moment of the run.
  var start = 0;
  D.frames.forEach(function (f, i) { if (f[2].length > D.frames[start][2].length) start = i; });
  slider.value = String(start);
  draw(start);
})();
`;
