// A row of the work-order list drawn in the browser from one dict (pages/work_order_row.py: row_view): one element
// per row on the server, and one component per row in the browser. The desk's "Naar iPad" is Quasar's button markup
// without Quasar's component; its click is the row's only `click` (declared in `emits`, so a click elsewhere on the
// row is not one). A new row redraws the table, and NiceGUI hands every row new slots: v-memo keeps each of the
// others as it was, since its dict is one object per commit (as the board's cards do).
export default {
  template: `
    <tr v-memo="[row, offersIpad]" class="border-b align-top">
      <td class="px-3 py-2 font-mono whitespace-nowrap"><a :href="row.href" class="nicegui-link text-blue-800">{{ row.number }}</a></td>
      <td class="px-3 py-2">{{ row.customer }}</td>
      <td class="px-3 py-2 whitespace-nowrap"><div :class="theme.plate">{{ row.plate }}</div></td>
      <td class="px-3 py-2 max-w-md"><div class="text-sm line-clamp-2">{{ row.description }}</div></td>
      <td class="px-3 py-2 whitespace-nowrap">
        <div class="q-badge flex inline items-center no-wrap q-badge--single-line" role="status"
             :class="'bg-' + theme.statusColors[row.status]" :data-status="row.status">{{ row.column }}</div>
        <div class="hidden">{{ row.status }}</div>
      </td>
      <td class="px-3 py-2">
        <div v-if="row.sessions.length" class="nicegui-row row gap-1">
          <span v-for="session in row.sessions" :key="session.startedAt + session.mechanic"
                class="inline-flex items-center gap-1 rounded-full bg-orange-100 px-2 py-0.5 text-xs">
            <i class="q-icon notranslate material-icons text-orange-700" aria-hidden="true" role="img" style="font-size: 18px">timer</i>
            <div class="font-medium">{{ session.mechanic }}</div>
            <span :data-timer="session.startedAt" class="tabular-nums text-orange-800"></span>
          </span>
        </div>
      </td>
      <td class="px-3 py-2 whitespace-nowrap">
        <button v-if="offersIpad" type="button" tabindex="0" @click.stop="$emit('click')"
                class="q-btn q-btn-item non-selectable no-outline q-btn--flat q-btn--rectangle q-btn--actionable q-focusable q-hoverable q-btn--no-uppercase q-btn--dense text-primary">
          <span class="q-focus-helper"></span>
          <span class="q-btn__content text-center col items-center q-anchor--skip justify-center row">
            <i class="q-icon on-left notranslate material-icons" aria-hidden="true" role="img">tablet_mac</i>
            <span class="block">Naar iPad</span>
          </span>
        </button>
        <i v-else-if="row.signed" class="q-icon notranslate material-icons text-green" style="font-size: 24px"
           role="img" aria-label="Ondertekend" title="Ondertekend">draw</i>
      </td>
    </tr>`,
  props: { row: Object, offersIpad: Boolean },
  emits: ['click'],
  data() {
    return { theme: window.wpTheme };
  },
};
