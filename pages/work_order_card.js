// A board card drawn in the browser from one dict (pages/work_order_card.py: card_view), so a card is one element
// on the server and one component here. The logged-in mechanic's Start/Stop is a real button in the slot.
// A move redraws both columns, and NiceGUI hands every card in them new slots, so each card's render runs again;
// v-memo keeps what the card shows unless its dict (one object per commit) or its viewers changed, which makes
// the other cards of a column cost next to nothing (a third of the browser's work per move on a board of 200).
const QBTN = "q-btn q-btn-item non-selectable no-outline q-btn--rectangle q-btn--actionable q-focusable q-hoverable q-btn--no-uppercase";

export default {
  template: `
    <div class="q-card nicegui-card w-full gap-1 p-3 cursor-grab select-none">
      <div v-memo="[card, viewing]" class="contents">
      <div class="nicegui-row row w-full items-center justify-between gap-x-2 gap-y-0">
        <a :href="card.href" :class="theme.touch" class="nicegui-link font-mono text-xs text-gray-500 no-underline hover:underline whitespace-nowrap">{{ card.number }}</a>
        <div :class="theme.plate" class="text-sm whitespace-nowrap">{{ card.plate }}</div>
      </div>
      <div class="font-medium leading-tight">{{ card.customer }}</div>
      <div class="text-xs text-gray-600 line-clamp-2">{{ card.description }}</div>
      <div v-if="card.parts" class="text-xs font-medium w-fit rounded px-1.5 whitespace-nowrap"
           :class="card.partsIn ? 'bg-green-100 text-green-800' : 'bg-slate-100 text-slate-700'">{{ card.parts }}</div>
      <div v-if="card.approval" :class="theme.approval">Toestemming nodig</div>
      <div v-if="card.planned" class="text-xs font-medium text-slate-700">{{ card.planned }}</div>
      <div v-if="card.overrun" :class="theme.overrun">loopt uit</div>
      <div v-if="viewing" :class="theme.viewing">klant kijkt mee</div>
      <div v-if="card.sessions.length" class="nicegui-row row gap-1">
        <span v-for="session in card.sessions" :key="session.startedAt + session.mechanic"
              class="inline-flex items-center gap-1 rounded-full bg-orange-100 px-2 py-0.5 text-xs">
          <i class="q-icon notranslate material-icons text-orange-700" aria-hidden="true" role="img" style="font-size: 18px">timer</i>
          <div class="font-medium">{{ session.mechanic }}</div>
          <span :data-timer="session.startedAt" class="tabular-nums text-orange-800"></span>
        </span>
      </div>
      </div>
      <div class="nicegui-row row w-full gap-2 pt-1">
        <slot></slot>
        <button v-memo="[]" type="button" tabindex="0" aria-label="Onderdeel toevoegen" @click="$emit('addpart')"
                :class="[buttonClasses, theme.cardButton]" class="q-btn--outline text-primary">
          <span class="q-focus-helper"></span>
          <span class="q-btn__content text-center col items-center q-anchor--skip justify-center row">
            <i class="q-icon notranslate material-icons on-left" aria-hidden="true" role="img">add_shopping_cart</i>
            <span class="block">Onderdeel</span>
          </span>
        </button>
      </div>
    </div>`,
  props: { card: Object, viewing: Number },
  emits: ["addpart"],
  data() {
    return { theme: window.wpTheme, buttonClasses: QBTN };
  },
};
