/**
 * The Photopea scripts the adapter sends, as strings (Photopea runs strings posted to it as scripts, in its
 * Photoshop-like DOM). Each one ends by echoing `LWAY:<seq>:end`, so replies are matched to the script that
 * caused them even when Photopea's "done" arrives early or late.
 */

/** Prefix of every echo we ask Photopea for. */
export const ECHO_PREFIX = 'LWAY:';

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

/** Echoes the selection bounds [left, top, right, bottom] as JSON, or null when nothing is selected. */
export function selectionScript(seq: number): string {
  return withEndMarker(
    seq,
    `var s=null;try{var b=app.activeDocument.selection.bounds;if(b)s=[Number(b[0]),Number(b[1]),Number(b[2]),Number(b[3])];}catch(e){s=null;}
${echo(seq, 'JSON.stringify({selection:s})')}`,
  );
}

/**
 * Echoes the document size and the active layer's name and id, then exports the active layer alone as PNG:
 * hides the other top-level layers, saveToOE("png"), restores their visibility.
 */
export function exportActiveLayerScript(seq: number): string {
  return withEndMarker(
    seq,
    `var d=app.activeDocument,a=d.activeLayer,L=d.layers,v=[],i;
${echo(seq, 'JSON.stringify({width:Number(d.width),height:Number(d.height),name:String(a.name),id:String(a.id!=null?a.id:a.name)})')}
for(i=0;i<L.length;i++){v.push(L[i].visible);L[i].visible=(L[i]==a);}
a.visible=true;
d.saveToOE("png");
for(i=0;i<L.length;i++){L[i].visible=v[i];}`,
  );
}

/** Echoes the number of layers in the active document. */
export function layerCountScript(seq: number): string {
  return withEndMarker(seq, echo(seq, 'String(app.activeDocument.layers.length)'));
}

/** Opens a PNG data URI as a new layer of the current document (app.open's third argument). */
export function openAsLayerScript(seq: number, dataUri: string): string {
  return withEndMarker(seq, `app.open(${lit(dataUri)},null,true);`);
}

/** Rasterises the (new) active layer, names it and moves its top-left corner to (x, y); echoes its id. */
export function placeActiveLayerScript(seq: number, name: string, x: number, y: number): string {
  return withEndMarker(
    seq,
    `var l=app.activeDocument.activeLayer;
try{l.rasterize(RasterizeType.ENTIRECONTENT);}catch(e){}
l.name=${lit(name)};
var b=l.bounds;l.translate(${Math.round(x)}-Number(b[0]),${Math.round(y)}-Number(b[1]));
${echo(seq, 'String(l.id!=null?l.id:l.name)')}`,
  );
}
