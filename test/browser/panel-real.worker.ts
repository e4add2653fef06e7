// The production worker entry, bundled for the browser tests (start it with ?models=/models/).
import '../../src/panel/worker/main.js';
