// A Quasar button's markup without Quasar's component (no ripple): for a button repeated on every row of a long
// list. NiceGUI's click listener falls through to the <button>.
export default {
  template: `
    <button type="button" tabindex="0" :class="look"
            class="q-btn q-btn-item non-selectable no-outline q-btn--rectangle q-btn--actionable q-focusable q-hoverable q-btn--no-uppercase">
      <span class="q-focus-helper"></span>
      <span class="q-btn__content text-center col items-center q-anchor--skip justify-center row">
        <i v-if="icon" class="q-icon on-left notranslate material-icons" aria-hidden="true" role="img">{{ icon }}</i>
        <span class="block">{{ label }}</span>
      </span>
    </button>`,
  props: { label: String, icon: String, look: String },
};
