// A plain <div> that is a Vue component of its own. NiceGUI draws the elements below a component in that
// component's render, and every change to one of them draws the nearest component above again, with all the
// components inside it: a boundary keeps that to what is inside it (pages/boundary.py).
export default {
  template: `<div><slot></slot></div>`,
};
