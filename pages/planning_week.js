// The planning grid in the browser (pages/planning_week.py): the days' headers with their bars, a row of cells
// per mechanic, the appointments as blocks and the loan cars' lane, drawn from one state the server sends whole
// when the week changes and then one block and its days at a time (apply). A block dragged to another cell is put
// back where Vue drew it and shown in the cell it was dropped on until the server answers with where it is.
export default {
  template: `
    <div class="wp-plan" :style="{gridTemplateColumns: columns}">
      <div></div>
      <div v-for="day in model.days" :key="'h' + day.date" class="wp-plan-head" :data-day="day.date"
           :data-capacity="day.capacity" :data-planned="day.planned">
        <div class="wp-plan-date">{{ day.label }}</div>
        <div class="wp-plan-words">{{ day.words }}</div>
        <div v-if="day.holiday" class="wp-plan-holiday">{{ day.holiday }}</div>
        <div class="wp-plan-track"><div class="wp-plan-bar" :class="day.bar" :style="{width: day.share + '%'}"></div></div>
      </div>
      <template v-for="mechanic in model.mechanics" :key="'m' + mechanic">
        <div class="wp-plan-name">{{ mechanic || 'Niet toegewezen' }}</div>
        <div v-for="day in model.days" :key="day.date + '|' + mechanic" class="wp-plan-cell" data-cell
             :data-day="day.date" :data-mechanic="mechanic" :ref="bindCell">
          <div v-for="block in cells[day.date + '|' + mechanic] || []" :key="block.id" class="wp-plan-block"
               :data-appointment-id="block.id" :data-mechanic="block.mechanic" :data-start="block.start"
               :data-minutes="block.minutes" :style="{height: height(block) + 'px'}">
            <div class="wp-plan-time">{{ block.time }}</div>
            <a class="wp-plan-number" :href="'/admin/workorders/' + block.id">{{ block.number }}</a>
            <div :class="plateClasses" class="wp-plan-plate">{{ block.plate }}</div>
          </div>
        </div>
      </template>
      <div class="wp-plan-name">Leenauto's</div>
      <div v-for="day in model.days" :key="'l' + day.date" class="wp-plan-lane" :data-loan-lane="day.date">
        <div v-for="block in lanes[day.date] || []" :key="block.id" :class="plateClasses" class="wp-plan-loan"
             :data-loan-car="block.loanCar" :data-appointment-id="block.id">{{ block.loanCarText }}</div>
      </div>
    </div>`,
  props: {
    state: String,
    canMove: Boolean,
    sortableOptions: Object,
    plateClasses: String,
  },
  data() {
    return { model: this.parse(this.state) };
  },
  computed: {
    columns() {
      const wide = this.model.days.length > 1 ? "9rem" : "24rem";
      return `8rem repeat(${this.model.days.length}, minmax(${wide}, 1fr))`;
    },
    cells() {
      const cells = {};
      for (const block of this.sorted) (cells[block.day + "|" + block.mechanic] ||= []).push(block);
      return cells;
    },
    lanes() {
      const lanes = {};
      for (const block of this.sorted) if (block.loanCar) (lanes[block.day] ||= []).push(block);
      return lanes;
    },
    sorted() {
      return Object.values(this.model.blocks).sort((a, b) => a.start.localeCompare(b.start) || a.id - b.id);
    },
  },
  watch: {
    state(value) {
      this.model = this.parse(value);
    },
  },
  async mounted() {
    if (!this.canMove) return;
    const { Sortable } = await import("nicegui-sortable");
    this.Sortable = Sortable;
    for (const cell of this.$el.querySelectorAll("[data-cell]")) this.bindCell(cell);
  },
  unmounted() {
    for (const cell of this.$el.querySelectorAll("[data-cell]")) cell.wpSortable?.destroy();
  },
  methods: {
    parse(state) {
      return JSON.parse(state || '{"days": [], "mechanics": [], "blocks": {}, "pixelsPerMinute": 1}');
    },
    height(block) {
      return Math.max(56, Math.round(block.minutes * this.model.pixelsPerMinute));
    },
    bindCell(cell) {
      if (!cell || !this.Sortable || cell.wpSortable) return;
      cell.wpSortable = this.Sortable.create(cell, { ...this.sortableOptions, group: "planning", onEnd: this.dropped });
    },
    dropped(event) {
      const { item, from, to, oldIndex, newIndex } = event;
      item.remove(); // Vue drew it: back where it was, then Vue moves it from the state
      from.insertBefore(item, from.children[oldIndex] || null);
      if (from === to && oldIndex === newIndex) return;
      const id = Number(item.dataset.appointmentId);
      const block = this.model.blocks[id];
      if (!block) return;
      const [day, mechanic] = [to.dataset.day, to.dataset.mechanic];
      this.model.blocks[id] = { ...block, day, mechanic };
      this.$emit("block-dropped", { id, day, mechanic, index: newIndex });
    },
    apply(change) {
      for (const [id, block] of Object.entries(change.blocks)) {
        if (block === null) delete this.model.blocks[id];
        else this.model.blocks[id] = block;
      }
      for (const day of change.days) {
        const index = this.model.days.findIndex((shown) => shown.date === day.date);
        if (index >= 0) this.model.days[index] = day;
      }
    },
  },
};
