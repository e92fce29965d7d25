// Writes what the page received to the browser's console (README, Troubleshooting): the lines travel as this
// element's props, inside the page's update of the same commit, not as a message of their own.
export default {
  template: `<span hidden></span>`,
  props: { received: Object },
  watch: {
    received(now) {
      for (const changeType of now.types) console.log(`📡 Live update ontvangen: ${changeType}`);
    },
  },
};
