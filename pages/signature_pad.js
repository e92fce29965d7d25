// A signature pad for a finger, a pen or a mouse: pointer events, coalesced points, smoothed strokes.
export default {
  template: `<canvas ref="canvas" style="touch-action: none; width: 100%; height: 100%; display: block; background: white"></canvas>`,
  props: { penColor: { type: String, default: "#0f172a" } },
  data() { return { empty: true }; },
  mounted() {
    const canvas = this.$refs.canvas;
    this.context = canvas.getContext("2d");
    this.points = [];
    this.resize();
    this.observer = new ResizeObserver(() => this.resize());
    this.observer.observe(canvas);
    canvas.addEventListener("pointerdown", (e) => this.start(e));
    canvas.addEventListener("pointermove", (e) => this.move(e));
    for (const type of ["pointerup", "pointercancel", "pointerleave"]) canvas.addEventListener(type, () => this.end());
  },
  unmounted() { this.observer?.disconnect(); },
  methods: {
    resize() {
      const canvas = this.$refs.canvas;
      const ratio = window.devicePixelRatio || 1;
      const width = Math.round(canvas.clientWidth * ratio), height = Math.round(canvas.clientHeight * ratio);
      if (canvas.width === width && canvas.height === height) return;
      const previous = this.empty ? null : canvas.toDataURL();
      canvas.width = width; canvas.height = height;
      this.context.setTransform(ratio, 0, 0, ratio, 0, 0);
      this.paper();
      if (previous) { const image = new Image(); image.onload = () => this.context.drawImage(image, 0, 0, canvas.clientWidth, canvas.clientHeight); image.src = previous; }
    },
    paper() {
      const c = this.context, canvas = this.$refs.canvas;
      c.save(); c.setTransform(1, 0, 0, 1, 0, 0); c.fillStyle = "#ffffff"; c.fillRect(0, 0, canvas.width, canvas.height); c.restore();
      c.lineCap = "round"; c.lineJoin = "round"; c.strokeStyle = this.penColor;
    },
    at(e) { const r = this.$refs.canvas.getBoundingClientRect(); return { x: e.clientX - r.left, y: e.clientY - r.top, p: e.pressure || 0.5 }; },
    start(e) {
      e.preventDefault();
      this.$refs.canvas.setPointerCapture(e.pointerId);
      this.drawing = true;
      this.points = [this.at(e)];
      const p = this.points[0];
      this.context.beginPath(); this.context.fillStyle = this.penColor;
      this.context.arc(p.x, p.y, 1.2, 0, Math.PI * 2); this.context.fill();
    },
    move(e) {
      if (!this.drawing) return;
      e.preventDefault();
      const events = e.getCoalescedEvents ? e.getCoalescedEvents() : [e];
      for (const ev of (events.length ? events : [e])) this.segment(this.at(ev));
    },
    segment(point) {
      const pts = this.points; pts.push(point);
      if (pts.length < 3) return;
      const [a, b, c] = pts.slice(-3);
      const m1 = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 }, m2 = { x: (b.x + c.x) / 2, y: (b.y + c.y) / 2 };
      const ctx = this.context;
      ctx.lineWidth = 1.6 + 2.2 * b.p;
      ctx.beginPath(); ctx.moveTo(m1.x, m1.y); ctx.quadraticCurveTo(b.x, b.y, m2.x, m2.y); ctx.stroke();
      if (this.empty) { this.empty = false; this.$emit("drawn"); }
    },
    end() { this.drawing = false; this.points = []; },
    clear() { this.paper(); this.empty = true; },
    isEmpty() { return this.empty; },
    toDataURL() { return this.empty ? null : this.$refs.canvas.toDataURL("image/png"); },
  },
};
