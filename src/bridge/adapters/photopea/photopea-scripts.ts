/**
 * The Photopea scripts the adapter sends, as strings (Photopea runs strings posted to it as scripts, in its
 * Photoshop-like DOM). Each one ends by echoing `LWAY:<seq>:end`, so replies are matched to the script that
 * caused them even when Photopea's "done" arrives early or late.
 *
 * Every script that touches the document is guarded: without a document it echoes NO_DOCUMENT_ECHO, and an error
 * it throws is echoed as ERROR_ECHO + message, so the end marker always follows (a script that throws in
 * Photopea stops there, and the plugin would otherwise wait for a marker that never comes).
 *
 * What the scripts assume of Photopea's DOM, and why:
 * - sizes and bounds may be UnitValues; `px()` reads `.value` first (photopea/photopea#5837), then valueOf;
 * - `bounds` is the box of a layer's non-transparent pixels, not of its image;
 * - `doc.layers` lists the top level only; folders (LayerSets) hold their own `layers`;
 * - app.open(uri, null, true) adds a smart object above the active layer, inside its folder, and makes it active;
 * - RasterizeType has ENTIRELAYER, FILLCONTENT, ... (Photoshop's enum), no ENTIRECONTENT.
 */

/** Prefix of every echo we ask Photopea for. */
export const ECHO_PREFIX = 'LWAY:';
/** Echo body of a guarded script run without an open document. */
export const NO_DOCUMENT_ECHO = '!nodoc';
/** Echo body prefix of a guarded script that threw; the message follows. */
export const ERROR_ECHO = '!error:';

/** JSON-encodes a value into a script literal (escapes quotes, newlines and `</script>`-like sequences). */
function lit(v: unknown): string {
  return JSON.stringify(v).replace(/</g, '\\u003c');
}

function echo(seq: number, expr: string): string {
  return `app.echoToOE(${lit(`${ECHO_PREFIX}${seq}:`)}+${expr});`;
}

/** Appends the end marker to a script body. */
export function withEndMarker(seq: number, body: string): string {
  return `${body}\n${echo(seq, lit('end'))}`;
}

/** Helpers the guarded scripts share (function expressions: declarations inside blocks are not ES5): UnitValue reading, folder test, recursive layer count, smart-object test. */
const HELPERS = `var px=function(u){if(typeof u=="number")return u;if(u!=null&&typeof u=="object"&&u.value!=null)return Number(u.value);return Number(u);};
var isSet=function(n){return n.typename=="LayerSet"||(n.typename==null&&n.layers!=null&&n.layers.length!=null);};
var count=function(L){var n=0,i;for(i=0;i<L.length;i++){n++;if(isSet(L[i]))n+=count(L[i].layers);}return n;};
var same=function(x,y){return x==y||(x!=null&&y!=null&&x.id!=null&&x.id===y.id);};
var isSmart=function(l){if(typeof LayerKind=="undefined"||LayerKind.SMARTOBJECT==null||l.kind==null)return null;return l.kind==LayerKind.SMARTOBJECT;};`;

/** Runs `body` with `d` = the active document; see the file comment for what the guard echoes. */
function guarded(seq: number, body: string): string {
  return withEndMarker(
    seq,
    `try{var d=null;try{d=app.activeDocument;}catch(e){}
if(!d){${echo(seq, lit(NO_DOCUMENT_ECHO))}}else{
${HELPERS}
${body}
}}catch(e){${echo(seq, `${lit(ERROR_ECHO)}+String(e&&e.message?e.message:e)`)}}`,
  );
}

/** Answers without touching any document: the handshake probe (the panel may open before any image). */
export function probeScript(seq: number): string {
  return withEndMarker(seq, echo(seq, lit('ready')));
}

/** Echoes the selection bounds [left, top, right, bottom] as JSON, or null when nothing is selected. */
export function selectionScript(seq: number): string {
  return guarded(
    seq,
    `var s=null;try{var b=d.selection.bounds;if(b)s=[px(b[0]),px(b[1]),px(b[2]),px(b[3])];}catch(e){s=null;}
${echo(seq, 'JSON.stringify({selection:s})')}`,
  );
}

/**
 * Echoes the document size and the active layer's name and id, then exports the active layer alone as PNG
 * (canvas size): along the path from the document to the layer, hides every sibling and shows the path itself
 * (so a layer inside a folder keeps its folders visible, even ones the user hid), saveToOE("png"), then restores
 * every visibility it changed, also when the export throws.
 *
 * Always the whole canvas, even when the plugin wants a region (the adapter cuts it after decoding): saveToOE
 * exports whole documents only, and a region would need a second document (duplicate, `crop([l,t,r,b])`, export,
 * close). crop works in Photopea (photopea/photopea#2581), but duplicate/close are not among its documented
 * script additions, closing a document activates the last one opened rather than the user's (#2200), and a failure
 * between the steps would leave a stray document or the wrong one active; cropping the user's own document and
 * undoing would touch their pixels and history. The PNG is compressed, so transparent areas cost little.
 */
export function exportActiveLayerScript(seq: number): string {
  return guarded(
    seq,
    `var a=d.activeLayer;if(!a)throw new Error("there is no active layer");
${echo(seq, 'JSON.stringify({width:px(d.width),height:px(d.height),name:String(a.name),id:String(a.id!=null?a.id:a.name)})')}
var pathTo=function(L,t){var i,p;for(i=0;i<L.length;i++){if(same(L[i],t))return [L[i]];if(isSet(L[i])){p=pathTo(L[i].layers,t);if(p){p.unshift(L[i]);return p;}}}return null;};
var path=pathTo(d.layers,a);if(!path)throw new Error("the active layer is not in the layer tree");
var saved=[],i,j,L=d.layers;
var show=function(n,v){saved.push([n,n.visible]);if(n.visible!=v)n.visible=v;};
try{for(i=0;i<path.length;i++){for(j=0;j<L.length;j++)if(!same(L[j],path[i]))show(L[j],false);show(path[i],true);if(isSet(path[i]))L=path[i].layers;}
d.saveToOE("png");
}finally{for(i=saved.length-1;i>=0;i--)if(saved[i][0].visible!=saved[i][1])saved[i][0].visible=saved[i][1];}`,
  );
}

/** Echoes the number of layers and folders in the active document, at every depth. */
export function layerCountScript(seq: number): string {
  return guarded(seq, echo(seq, 'String(count(d.layers))'));
}

/** Opens a PNG data URI as a new layer of the current document (app.open's third argument). */
export function openAsLayerScript(seq: number, dataUri: string): string {
  return guarded(seq, `app.open(${lit(dataUri)},null,true);`);
}

/** What {@link finishPlacedLayerScript} needs to know. */
export interface FinishPlacement {
  /** Layers and folders in the document before app.open (see layerCountScript). */
  before: number;
  /** The final name, and the name the layer carries while it is being finished. */
  name: string;
  pendingName: string;
  /** Where the opaque box of our image goes, in document pixels, and its size. */
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Finishes the layer app.open placed (the active layer, once the document has more layers than `before`):
 * rasterises it (RasterizeType.ENTIRELAYER), checks it is no longer a smart object and was not scaled, moves its
 * opaque box to (x, y), checks it landed there, names it; echoes its id. On any failure it removes the layer and
 * echoes the error: a job adds one finished layer or nothing.
 */
export function finishPlacedLayerScript(seq: number, p: FinishPlacement): string {
  const { x, y, width: w, height: h } = p;
  return guarded(
    seq,
    `var l=d.activeLayer;
if(count(d.layers)<=${p.before}||!l||isSet(l))throw new Error("the placed image is not in the document");
if(isSmart(l)===false)throw new Error("the active layer is not the placed image");
try{l.name=${lit(p.pendingName)};
l.rasterize(typeof RasterizeType!="undefined"?RasterizeType.ENTIRELAYER:undefined);
if(isSmart(l))throw new Error("rasterize left the layer a smart object");
var b=l.bounds,x0=px(b[0]),y0=px(b[1]),w=px(b[2])-x0,h=px(b[3])-y0;
if(!isFinite(x0)||!isFinite(y0)||!isFinite(w)||!isFinite(h))throw new Error("unreadable layer bounds");
if(w!=${w}||h!=${h})throw new Error("Photopea scaled the placed image to "+w+"x"+h+" px (expected ${w}x${h})");
l.translate(${x}-x0,${y}-y0);
b=l.bounds;if(px(b[0])!=${x}||px(b[1])!=${y})throw new Error("the layer did not move to (${x}, ${y})");
l.name=${lit(p.name)};
}catch(e){try{l.remove();}catch(e2){}throw e;}
${echo(seq, `String(l.id!=null?l.id:${lit(p.name)})`)}`,
  );
}

/** What {@link removePlacedLayerScript} looks for. */
export interface PlacedLayerMatch {
  before: number;
  name: string;
  pendingName: string;
  /** Size of our image's opaque box. */
  width: number;
  height: number;
}

/**
 * Removes the layer a failed job placed, if it is there: the document has more layers than before, and the
 * active layer is ours (named `pendingName`, or named `name` or a smart object, at `width` x `height`). Echoes "removed", "none" (no extra layer yet) or "unmatched" (an extra layer we do not
 * recognise; left alone).
 */
export function removePlacedLayerScript(seq: number, m: PlacedLayerMatch): string {
  return guarded(
    seq,
    `var l=d.activeLayer,r="none";
if(count(d.layers)>${m.before}){r="unmatched";
if(l&&!isSet(l)){var b=l.bounds,w=px(b[2])-px(b[0]),h=px(b[3])-px(b[1]),sized=w==${m.width}&&h==${m.height};
if(l.name==${lit(m.pendingName)}||((l.name==${lit(m.name)}||isSmart(l)!==false)&&sized)){l.remove();r="removed";}}}
${echo(seq, 'r')}`,
  );
}
