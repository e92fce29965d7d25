// A row of the work-order list drawn in the browser from one dict (pages/work_order_row.py: row_view): one element
// per row on the server. The desk's "Naar iPad" is a real button in the slot.
export default {
  template: `
    <tr class="border-b align-top">
      <td class="px-3 py-2 font-mono whitespace-nowrap"><a :href="row.href" class="nicegui-link text-blue-800">{{ row.number }}</a></td>
      <td class="px-3 py-2"><div>{{ row.customer }}</div></td>
      <td class="px-3 py-2 whitespace-nowrap"><div :class="theme.plate">{{ row.plate }}</div></td>
      <td class="px-3 py-2 max-w-md"><div class="text-sm line-clamp-2">{{ row.description }}</div></td>
      <td class="px-3 py-2 whitespace-nowrap">
        <div class="q-badge flex inline items-center no-wrap q-badge--single-line" role="status"
             :class="'bg-' + theme.statusColors[row.status]" :data-status="row.status">{{ row.column }}</div>
        <div class="hidden">{{ row.status }}</div>
      </td>
      <td class="px-3 py-2">
        <div class="nicegui-row row gap-1">
          <span v-for="session in row.sessions" :key="session.startedAt + session.mechanic"
                class="inline-flex items-center gap-1 rounded-full bg-orange-100 px-2 py-0.5 text-xs">
            <i class="q-icon notranslate material-icons text-orange-700" aria-hidden="true" role="img" style="font-size: 18px">timer</i>
            <div class="font-medium">{{ session.mechanic }}</div>
            <span :data-timer="session.startedAt" class="tabular-nums text-orange-800"></span>
          </span>
        </div>
      </td>
      <td class="px-3 py-2 whitespace-nowrap">
        <slot></slot>
        <q-icon v-if="row.signed && !offersIpad" name="draw" color="green"><q-tooltip>Ondertekend</q-tooltip></q-icon>
      </td>
    </tr>`,
  props: { row: Object, offersIpad: Boolean },
  data() {
    return { theme: window.wpTheme };
  },
};
