var Qe=Object.defineProperty;var Xe=Object.getOwnPropertyDescriptor;var g=(n,e,t,r)=>{for(var s=r>1?void 0:r?Xe(e,t):e,o=n.length-1,i;o>=0;o--)(i=n[o])&&(s=(r?i(e,t,s):i(s))||s);return r&&s&&Qe(e,t,s),s};var G=globalThis,K=G.ShadowRoot&&(G.ShadyCSS===void 0||G.ShadyCSS.nativeShadow)&&"adoptedStyleSheets"in Document.prototype&&"replace"in CSSStyleSheet.prototype,ne=Symbol(),_e=new WeakMap,N=class{constructor(e,t,r){if(this._$cssResult$=!0,r!==ne)throw Error("CSSResult is not constructable. Use `unsafeCSS` or `css` instead.");this.cssText=e,this.t=t}get styleSheet(){let e=this.o,t=this.t;if(K&&e===void 0){let r=t!==void 0&&t.length===1;r&&(e=_e.get(t)),e===void 0&&((this.o=e=new CSSStyleSheet).replaceSync(this.cssText),r&&_e.set(t,e))}return e}toString(){return this.cssText}},we=n=>new N(typeof n=="string"?n:n+"",void 0,ne),Z=(n,...e)=>{let t=n.length===1?n[0]:e.reduce((r,s,o)=>r+(i=>{if(i._$cssResult$===!0)return i.cssText;if(typeof i=="number")return i;throw Error("Value passed to 'css' function must be a 'css' function result: "+i+". Use 'unsafeCSS' to pass non-literal values, but take care to ensure page security.")})(s)+n[o+1],n[0]);return new N(t,n,ne)},Se=(n,e)=>{if(K)n.adoptedStyleSheets=e.map(t=>t instanceof CSSStyleSheet?t:t.styleSheet);else for(let t of e){let r=document.createElement("style"),s=G.litNonce;s!==void 0&&r.setAttribute("nonce",s),r.textContent=t.cssText,n.appendChild(r)}},ae=K?n=>n:n=>n instanceof CSSStyleSheet?(e=>{let t="";for(let r of e.cssRules)t+=r.cssText;return we(t)})(n):n;var{is:et,defineProperty:tt,getOwnPropertyDescriptor:rt,getOwnPropertyNames:st,getOwnPropertySymbols:it,getPrototypeOf:ot}=Object,J=globalThis,ke=J.trustedTypes,nt=ke?ke.emptyScript:"",at=J.reactiveElementPolyfillSupport,O=(n,e)=>n,L={toAttribute(n,e){switch(e){case Boolean:n=n?nt:null;break;case Object:case Array:n=n==null?n:JSON.stringify(n)}return n},fromAttribute(n,e){let t=n;switch(e){case Boolean:t=n!==null;break;case Number:t=n===null?null:Number(n);break;case Object:case Array:try{t=JSON.parse(n)}catch{t=null}}return t}},Y=(n,e)=>!et(n,e),Ae={attribute:!0,type:String,converter:L,reflect:!1,useDefault:!1,hasChanged:Y};Symbol.metadata??=Symbol("metadata"),J.litPropertyMetadata??=new WeakMap;var k=class extends HTMLElement{static addInitializer(e){this._$Ei(),(this.l??=[]).push(e)}static get observedAttributes(){return this.finalize(),this._$Eh&&[...this._$Eh.keys()]}static createProperty(e,t=Ae){if(t.state&&(t.attribute=!1),this._$Ei(),this.prototype.hasOwnProperty(e)&&((t=Object.create(t)).wrapped=!0),this.elementProperties.set(e,t),!t.noAccessor){let r=Symbol(),s=this.getPropertyDescriptor(e,r,t);s!==void 0&&tt(this.prototype,e,s)}}static getPropertyDescriptor(e,t,r){let{get:s,set:o}=rt(this.prototype,e)??{get(){return this[t]},set(i){this[t]=i}};return{get:s,set(i){let c=s?.call(this);o?.call(this,i),this.requestUpdate(e,c,r)},configurable:!0,enumerable:!0}}static getPropertyOptions(e){return this.elementProperties.get(e)??Ae}static _$Ei(){if(this.hasOwnProperty(O("elementProperties")))return;let e=ot(this);e.finalize(),e.l!==void 0&&(this.l=[...e.l]),this.elementProperties=new Map(e.elementProperties)}static finalize(){if(this.hasOwnProperty(O("finalized")))return;if(this.finalized=!0,this._$Ei(),this.hasOwnProperty(O("properties"))){let t=this.properties,r=[...st(t),...it(t)];for(let s of r)this.createProperty(s,t[s])}let e=this[Symbol.metadata];if(e!==null){let t=litPropertyMetadata.get(e);if(t!==void 0)for(let[r,s]of t)this.elementProperties.set(r,s)}this._$Eh=new Map;for(let[t,r]of this.elementProperties){let s=this._$Eu(t,r);s!==void 0&&this._$Eh.set(s,t)}this.elementStyles=this.finalizeStyles(this.styles)}static finalizeStyles(e){let t=[];if(Array.isArray(e)){let r=new Set(e.flat(1/0).reverse());for(let s of r)t.unshift(ae(s))}else e!==void 0&&t.push(ae(e));return t}static _$Eu(e,t){let r=t.attribute;return r===!1?void 0:typeof r=="string"?r:typeof e=="string"?e.toLowerCase():void 0}constructor(){super(),this._$Ep=void 0,this.isUpdatePending=!1,this.hasUpdated=!1,this._$Em=null,this._$Ev()}_$Ev(){this._$ES=new Promise(e=>this.enableUpdating=e),this._$AL=new Map,this._$E_(),this.requestUpdate(),this.constructor.l?.forEach(e=>e(this))}addController(e){(this._$EO??=new Set).add(e),this.renderRoot!==void 0&&this.isConnected&&e.hostConnected?.()}removeController(e){this._$EO?.delete(e)}_$E_(){let e=new Map,t=this.constructor.elementProperties;for(let r of t.keys())this.hasOwnProperty(r)&&(e.set(r,this[r]),delete this[r]);e.size>0&&(this._$Ep=e)}createRenderRoot(){let e=this.shadowRoot??this.attachShadow(this.constructor.shadowRootOptions);return Se(e,this.constructor.elementStyles),e}connectedCallback(){this.renderRoot??=this.createRenderRoot(),this.enableUpdating(!0),this._$EO?.forEach(e=>e.hostConnected?.())}enableUpdating(e){}disconnectedCallback(){this._$EO?.forEach(e=>e.hostDisconnected?.())}attributeChangedCallback(e,t,r){this._$AK(e,r)}_$ET(e,t){let r=this.constructor.elementProperties.get(e),s=this.constructor._$Eu(e,r);if(s!==void 0&&r.reflect===!0){let o=(r.converter?.toAttribute!==void 0?r.converter:L).toAttribute(t,r.type);this._$Em=e,o==null?this.removeAttribute(s):this.setAttribute(s,o),this._$Em=null}}_$AK(e,t){let r=this.constructor,s=r._$Eh.get(e);if(s!==void 0&&this._$Em!==s){let o=r.getPropertyOptions(s),i=typeof o.converter=="function"?{fromAttribute:o.converter}:o.converter?.fromAttribute!==void 0?o.converter:L;this._$Em=s;let c=i.fromAttribute(t,o.type);this[s]=c??this._$Ej?.get(s)??c,this._$Em=null}}requestUpdate(e,t,r,s=!1,o){if(e!==void 0){let i=this.constructor;if(s===!1&&(o=this[e]),r??=i.getPropertyOptions(e),!((r.hasChanged??Y)(o,t)||r.useDefault&&r.reflect&&o===this._$Ej?.get(e)&&!this.hasAttribute(i._$Eu(e,r))))return;this.C(e,t,r)}this.isUpdatePending===!1&&(this._$ES=this._$EP())}C(e,t,{useDefault:r,reflect:s,wrapped:o},i){r&&!(this._$Ej??=new Map).has(e)&&(this._$Ej.set(e,i??t??this[e]),o!==!0||i!==void 0)||(this._$AL.has(e)||(this.hasUpdated||r||(t=void 0),this._$AL.set(e,t)),s===!0&&this._$Em!==e&&(this._$Eq??=new Set).add(e))}async _$EP(){this.isUpdatePending=!0;try{await this._$ES}catch(t){Promise.reject(t)}let e=this.scheduleUpdate();return e!=null&&await e,!this.isUpdatePending}scheduleUpdate(){return this.performUpdate()}performUpdate(){if(!this.isUpdatePending)return;if(!this.hasUpdated){if(this.renderRoot??=this.createRenderRoot(),this._$Ep){for(let[s,o]of this._$Ep)this[s]=o;this._$Ep=void 0}let r=this.constructor.elementProperties;if(r.size>0)for(let[s,o]of r){let{wrapped:i}=o,c=this[s];i!==!0||this._$AL.has(s)||c===void 0||this.C(s,void 0,o,c)}}let e=!1,t=this._$AL;try{e=this.shouldUpdate(t),e?(this.willUpdate(t),this._$EO?.forEach(r=>r.hostUpdate?.()),this.update(t)):this._$EM()}catch(r){throw e=!1,this._$EM(),r}e&&this._$AE(t)}willUpdate(e){}_$AE(e){this._$EO?.forEach(t=>t.hostUpdated?.()),this.hasUpdated||(this.hasUpdated=!0,this.firstUpdated(e)),this.updated(e)}_$EM(){this._$AL=new Map,this.isUpdatePending=!1}get updateComplete(){return this.getUpdateComplete()}getUpdateComplete(){return this._$ES}shouldUpdate(e){return!0}update(e){this._$Eq&&=this._$Eq.forEach(t=>this._$ET(t,this[t])),this._$EM()}updated(e){}firstUpdated(e){}};k.elementStyles=[],k.shadowRootOptions={mode:"open"},k[O("elementProperties")]=new Map,k[O("finalized")]=new Map,at?.({ReactiveElement:k}),(J.reactiveElementVersions??=[]).push("2.1.2");var me=globalThis,Ee=n=>n,Q=me.trustedTypes,Ce=Q?Q.createPolicy("lit-html",{createHTML:n=>n}):void 0,ze="$lit$",A=`lit$${Math.random().toFixed(9).slice(2)}$`,Pe="?"+A,ct=`<${Pe}>`,T=document,I=()=>T.createComment(""),F=n=>n===null||typeof n!="object"&&typeof n!="function",ge=Array.isArray,lt=n=>ge(n)||typeof n?.[Symbol.iterator]=="function",ce=`[ 	
\f\r]`,D=/<(?:(!--|\/[^a-zA-Z])|(\/?[a-zA-Z][^>\s]*)|(\/?$))/g,Te=/-->/g,Me=/>/g,E=RegExp(`>|${ce}(?:([^\\s"'>=/]+)(${ce}*=${ce}*(?:[^ 	
\f\r"'\`<>=]|("|')|))|$)`,"g"),Re=/'/g,He=/"/g,Ne=/^(?:script|style|textarea|title)$/i,fe=n=>(e,...t)=>({_$litType$:n,strings:e,values:t}),p=fe(1),x=fe(2),zt=fe(3),M=Symbol.for("lit-noChange"),d=Symbol.for("lit-nothing"),Ue=new WeakMap,C=T.createTreeWalker(T,129);function Oe(n,e){if(!ge(n)||!n.hasOwnProperty("raw"))throw Error("invalid template strings array");return Ce!==void 0?Ce.createHTML(e):e}var ht=(n,e)=>{let t=n.length-1,r=[],s,o=e===2?"<svg>":e===3?"<math>":"",i=D;for(let c=0;c<t;c++){let a=n[c],l,h,u=-1,w=0;for(;w<a.length&&(i.lastIndex=w,h=i.exec(a),h!==null);)w=i.lastIndex,i===D?h[1]==="!--"?i=Te:h[1]!==void 0?i=Me:h[2]!==void 0?(Ne.test(h[2])&&(s=RegExp("</"+h[2],"g")),i=E):h[3]!==void 0&&(i=E):i===E?h[0]===">"?(i=s??D,u=-1):h[1]===void 0?u=-2:(u=i.lastIndex-h[2].length,l=h[1],i=h[3]===void 0?E:h[3]==='"'?He:Re):i===He||i===Re?i=E:i===Te||i===Me?i=D:(i=E,s=void 0);let S=i===E&&n[c+1].startsWith("/>")?" ":"";o+=i===D?a+ct:u>=0?(r.push(l),a.slice(0,u)+ze+a.slice(u)+A+S):a+A+(u===-2?c:S)}return[Oe(n,o+(n[t]||"<?>")+(e===2?"</svg>":e===3?"</math>":"")),r]},j=class n{constructor({strings:e,_$litType$:t},r){let s;this.parts=[];let o=0,i=0,c=e.length-1,a=this.parts,[l,h]=ht(e,t);if(this.el=n.createElement(l,r),C.currentNode=this.el.content,t===2||t===3){let u=this.el.content.firstChild;u.replaceWith(...u.childNodes)}for(;(s=C.nextNode())!==null&&a.length<c;){if(s.nodeType===1){if(s.hasAttributes())for(let u of s.getAttributeNames())if(u.endsWith(ze)){let w=h[i++],S=s.getAttribute(u).split(A),m=/([.?@])?(.*)/.exec(w);a.push({type:1,index:o,name:m[2],strings:S,ctor:m[1]==="."?he:m[1]==="?"?de:m[1]==="@"?pe:z}),s.removeAttribute(u)}else u.startsWith(A)&&(a.push({type:6,index:o}),s.removeAttribute(u));if(Ne.test(s.tagName)){let u=s.textContent.split(A),w=u.length-1;if(w>0){s.textContent=Q?Q.emptyScript:"";for(let S=0;S<w;S++)s.append(u[S],I()),C.nextNode(),a.push({type:2,index:++o});s.append(u[w],I())}}}else if(s.nodeType===8)if(s.data===Pe)a.push({type:2,index:o});else{let u=-1;for(;(u=s.data.indexOf(A,u+1))!==-1;)a.push({type:7,index:o}),u+=A.length-1}o++}}static createElement(e,t){let r=T.createElement("template");return r.innerHTML=e,r}};function U(n,e,t=n,r){if(e===M)return e;let s=r!==void 0?t._$Co?.[r]:t._$Cl,o=F(e)?void 0:e._$litDirective$;return s?.constructor!==o&&(s?._$AO?.(!1),o===void 0?s=void 0:(s=new o(n),s._$AT(n,t,r)),r!==void 0?(t._$Co??=[])[r]=s:t._$Cl=s),s!==void 0&&(e=U(n,s._$AS(n,e.values),s,r)),e}var le=class{constructor(e,t){this._$AV=[],this._$AN=void 0,this._$AD=e,this._$AM=t}get parentNode(){return this._$AM.parentNode}get _$AU(){return this._$AM._$AU}u(e){let{el:{content:t},parts:r}=this._$AD,s=(e?.creationScope??T).importNode(t,!0);C.currentNode=s;let o=C.nextNode(),i=0,c=0,a=r[0];for(;a!==void 0;){if(i===a.index){let l;a.type===2?l=new q(o,o.nextSibling,this,e):a.type===1?l=new a.ctor(o,a.name,a.strings,this,e):a.type===6&&(l=new ue(o,this,e)),this._$AV.push(l),a=r[++c]}i!==a?.index&&(o=C.nextNode(),i++)}return C.currentNode=T,s}p(e){let t=0;for(let r of this._$AV)r!==void 0&&(r.strings!==void 0?(r._$AI(e,r,t),t+=r.strings.length-2):r._$AI(e[t])),t++}},q=class n{get _$AU(){return this._$AM?._$AU??this._$Cv}constructor(e,t,r,s){this.type=2,this._$AH=d,this._$AN=void 0,this._$AA=e,this._$AB=t,this._$AM=r,this.options=s,this._$Cv=s?.isConnected??!0}get parentNode(){let e=this._$AA.parentNode,t=this._$AM;return t!==void 0&&e?.nodeType===11&&(e=t.parentNode),e}get startNode(){return this._$AA}get endNode(){return this._$AB}_$AI(e,t=this){e=U(this,e,t),F(e)?e===d||e==null||e===""?(this._$AH!==d&&this._$AR(),this._$AH=d):e!==this._$AH&&e!==M&&this._(e):e._$litType$!==void 0?this.$(e):e.nodeType!==void 0?this.T(e):lt(e)?this.k(e):this._(e)}O(e){return this._$AA.parentNode.insertBefore(e,this._$AB)}T(e){this._$AH!==e&&(this._$AR(),this._$AH=this.O(e))}_(e){this._$AH!==d&&F(this._$AH)?this._$AA.nextSibling.data=e:this.T(T.createTextNode(e)),this._$AH=e}$(e){let{values:t,_$litType$:r}=e,s=typeof r=="number"?this._$AC(e):(r.el===void 0&&(r.el=j.createElement(Oe(r.h,r.h[0]),this.options)),r);if(this._$AH?._$AD===s)this._$AH.p(t);else{let o=new le(s,this),i=o.u(this.options);o.p(t),this.T(i),this._$AH=o}}_$AC(e){let t=Ue.get(e.strings);return t===void 0&&Ue.set(e.strings,t=new j(e)),t}k(e){ge(this._$AH)||(this._$AH=[],this._$AR());let t=this._$AH,r,s=0;for(let o of e)s===t.length?t.push(r=new n(this.O(I()),this.O(I()),this,this.options)):r=t[s],r._$AI(o),s++;s<t.length&&(this._$AR(r&&r._$AB.nextSibling,s),t.length=s)}_$AR(e=this._$AA.nextSibling,t){for(this._$AP?.(!1,!0,t);e!==this._$AB;){let r=Ee(e).nextSibling;Ee(e).remove(),e=r}}setConnected(e){this._$AM===void 0&&(this._$Cv=e,this._$AP?.(e))}},z=class{get tagName(){return this.element.tagName}get _$AU(){return this._$AM._$AU}constructor(e,t,r,s,o){this.type=1,this._$AH=d,this._$AN=void 0,this.element=e,this.name=t,this._$AM=s,this.options=o,r.length>2||r[0]!==""||r[1]!==""?(this._$AH=Array(r.length-1).fill(new String),this.strings=r):this._$AH=d}_$AI(e,t=this,r,s){let o=this.strings,i=!1;if(o===void 0)e=U(this,e,t,0),i=!F(e)||e!==this._$AH&&e!==M,i&&(this._$AH=e);else{let c=e,a,l;for(e=o[0],a=0;a<o.length-1;a++)l=U(this,c[r+a],t,a),l===M&&(l=this._$AH[a]),i||=!F(l)||l!==this._$AH[a],l===d?e=d:e!==d&&(e+=(l??"")+o[a+1]),this._$AH[a]=l}i&&!s&&this.j(e)}j(e){e===d?this.element.removeAttribute(this.name):this.element.setAttribute(this.name,e??"")}},he=class extends z{constructor(){super(...arguments),this.type=3}j(e){this.element[this.name]=e===d?void 0:e}},de=class extends z{constructor(){super(...arguments),this.type=4}j(e){this.element.toggleAttribute(this.name,!!e&&e!==d)}},pe=class extends z{constructor(e,t,r,s,o){super(e,t,r,s,o),this.type=5}_$AI(e,t=this){if((e=U(this,e,t,0)??d)===M)return;let r=this._$AH,s=e===d&&r!==d||e.capture!==r.capture||e.once!==r.once||e.passive!==r.passive,o=e!==d&&(r===d||s);s&&this.element.removeEventListener(this.name,this,r),o&&this.element.addEventListener(this.name,this,e),this._$AH=e}handleEvent(e){typeof this._$AH=="function"?this._$AH.call(this.options?.host??this.element,e):this._$AH.handleEvent(e)}},ue=class{constructor(e,t,r){this.element=e,this.type=6,this._$AN=void 0,this._$AM=t,this.options=r}get _$AU(){return this._$AM._$AU}_$AI(e){U(this,e)}};var dt=me.litHtmlPolyfillSupport;dt?.(j,q),(me.litHtmlVersions??=[]).push("3.3.3");var Le=(n,e,t)=>{let r=t?.renderBefore??e,s=r._$litPart$;if(s===void 0){let o=t?.renderBefore??null;r._$litPart$=s=new q(e.insertBefore(I(),o),o,void 0,t??{})}return s._$AI(n),s};var ve=globalThis,_=class extends k{constructor(){super(...arguments),this.renderOptions={host:this},this._$Do=void 0}createRenderRoot(){let e=super.createRenderRoot();return this.renderOptions.renderBefore??=e.firstChild,e}update(e){let t=this.render();this.hasUpdated||(this.renderOptions.isConnected=this.isConnected),super.update(e),this._$Do=Le(t,this.renderRoot,this.renderOptions)}connectedCallback(){super.connectedCallback(),this._$Do?.setConnected(!0)}disconnectedCallback(){super.disconnectedCallback(),this._$Do?.setConnected(!1)}render(){return M}};_._$litElement$=!0,_.finalized=!0,ve.litElementHydrateSupport?.({LitElement:_});var pt=ve.litElementPolyfillSupport;pt?.({LitElement:_});(ve.litElementVersions??=[]).push("4.2.2");var P=n=>(e,t)=>{t!==void 0?t.addInitializer(()=>{customElements.define(n,e)}):customElements.define(n,e)};var ut={attribute:!0,type:String,converter:L,reflect:!1,hasChanged:Y},mt=(n=ut,e,t)=>{let{kind:r,metadata:s}=t,o=globalThis.litPropertyMetadata.get(s);if(o===void 0&&globalThis.litPropertyMetadata.set(s,o=new Map),r==="setter"&&((n=Object.create(n)).wrapped=!0),o.set(t.name,n),r==="accessor"){let{name:i}=t;return{set(c){let a=e.get.call(this);e.set.call(this,c),this.requestUpdate(i,a,n,!0,c)},init(c){return c!==void 0&&this.C(i,void 0,n,c),c}}}if(r==="setter"){let{name:i}=t;return function(c){let a=this[i];e.call(this,c),this.requestUpdate(i,a,n,!0,c)}}throw Error("Unsupported decorator location: "+r)};function y(n){return(e,t)=>typeof t=="object"?mt(n,e,t):((r,s,o)=>{let i=s.hasOwnProperty(o);return s.constructor.createProperty(o,r),i?Object.getOwnPropertyDescriptor(s,o):void 0})(n,e,t)}function f(n){return y({...n,state:!0,attribute:!1})}var ee=300,B=110,v={left:30,right:6,top:6,bottom:16};function De(n,e,t,r){let s=Math.max(e-n,1),o=Math.max(r-t,.1),i=ee-v.left-v.right,c=B-v.top-v.bottom;return{x:a=>be(v.left+(a-n)/s*i),y:a=>be(v.top+(1-(a-t)/o)*c)}}var be=n=>Math.round(n*10)/10;function Ie(n,e,t,r){let s=n.readings,o=Math.min(n.start,...s.map(m=>m[0]),...n.doses.map(m=>m.at)),i=Math.max(t,n.check??0,...s.map(m=>m[0]),o+3600),c=s.map(m=>m[1]),a=Math.min(e.low_grade-.8,...c)-.2,l=Math.max(e.high_fever+.5,...c)+.3,h=De(o,i,a,l),u=(m,ie,Ye)=>{let oe=h.y(Math.min(ie,l)),xe=h.y(Math.max(m,a));return xe>oe?x`<rect class="band ${Ye}" x=${v.left} y=${oe} width=${ee-v.left-v.right} height=${be(xe-oe)}></rect>`:x``},w=s.map((m,ie)=>`${ie?"L":"M"}${h.x(m[0])} ${h.y(m[1])}`).join(" "),S=[e.fever,e.high_fever].filter(m=>m>a&&m<l);return x`<svg class="chart fever" viewBox="0 0 ${ee} ${B}" role="img">
    ${u(e.low_grade,e.fever,"low_grade")}
    ${u(e.fever,e.high_fever,"fever")}
    ${u(e.high_fever,e.hyperpyrexia,"high_fever")}
    ${u(e.hyperpyrexia,l,"hyperpyrexia")}
    ${S.map(m=>x`<text class="axis" x=${v.left-3} y=${h.y(m)+3} text-anchor="end">${r(m)}</text>`)}
    ${n.doses.map(m=>x`<line class="dose" x1=${h.x(m.at)} x2=${h.x(m.at)} y1=${v.top} y2=${B-v.bottom}><title>${m.name} ${m.amount} ${m.unit}</title></line>`)}
    ${n.check?x`<line class="check" x1=${h.x(n.check)} x2=${h.x(n.check)} y1=${v.top} y2=${B-v.bottom}></line>`:x``}
    <path class="line" d=${w}></path>
    ${s.map(m=>x`<circle class="point" cx=${h.x(m[0])} cy=${h.y(m[1])} r="2.5"><title>${r(m[1])}</title></circle>`)}
  </svg>`}function Fe(n){let e=n.spark.length?n.spark:[[n.at,n.kg]],t=n.forecast,r=e[e.length-1],s=e.map(a=>a[0]),o=e.map(a=>a[1]);t&&(s.push(t.at),o.push(t.low,t.high));let i=De(Math.min(...s),Math.max(...s),Math.min(...o)-.2,Math.max(...o)+.2),c=e.map((a,l)=>`${l?"L":"M"}${i.x(a[0])} ${i.y(a[1])}`).join(" ");return x`<svg class="chart weight" viewBox="0 0 ${ee} ${B}" role="img">
    ${t?x`<polygon class="forecast-band" points="${i.x(r[0])},${i.y(r[1])} ${i.x(t.at)},${i.y(t.high)} ${i.x(t.at)},${i.y(t.low)}"></polygon>
          <path class="forecast" d="M${i.x(r[0])} ${i.y(r[1])} L${i.x(t.at)} ${i.y(t.kg)}"></path>`:x``}
    <path class="line" d=${c}></path>
  </svg>`}var gt=.45359237;function ye(n){return n.config.unit_system.temperature==="°F"?"°F":"°C"}function $e(n){return n.config.unit_system.mass==="lb"?"lb":"kg"}function ft(n,e){return e==="°F"?n*9/5+32:n}function je(n,e){return e==="lb"?n/gt:n}var te=class{constructor(e,t){let r=e.locale?.time_zone==="local"?void 0:e.config.time_zone;this.number=new Intl.NumberFormat(t,{maximumFractionDigits:1,minimumFractionDigits:1}),this.signed=new Intl.NumberFormat(t,{maximumFractionDigits:2,minimumFractionDigits:1,signDisplay:"exceptZero"}),this.time=new Intl.DateTimeFormat(t,{hour:"numeric",minute:"2-digit",timeZone:r}),this.dayTime=new Intl.DateTimeFormat(t,{weekday:"short",hour:"numeric",minute:"2-digit",timeZone:r}),this.date=new Intl.DateTimeFormat(t,{dateStyle:"medium",timeZone:"UTC"}),this.relative=new Intl.RelativeTimeFormat(t,{numeric:"auto"}),this.temperatureUnit=ye(e),this.weightUnit=$e(e)}temperature(e){return`${this.number.format(ft(e,this.temperatureUnit))} ${this.temperatureUnit}`}weight(e){return`${this.number.format(je(e,this.weightUnit))} ${this.weightUnit}`}weightChange(e){return`${this.signed.format(je(e,this.weightUnit))} ${this.weightUnit}`}clock(e,t){return(Math.abs(e-t)<43200?this.time:this.dayTime).format(e*1e3)}isoDate(e){return this.date.format(new Date(`${e}T00:00:00Z`))}fromNow(e,t){let r=e-t,s=Math.abs(r);return s<3600?this.relative.format(Math.round(r/60),"minute"):s<36*3600?this.relative.format(Math.round(r/3600),"hour"):this.relative.format(Math.round(r/86400),"day")}};var qe=Z`
  :host {
    --ah-normal: var(--success-color, #43a047);
    --ah-low_grade: var(--amber-color, #ffc107);
    --ah-fever: var(--orange-color, #ff9800);
    --ah-high_fever: var(--error-color, #db4437);
    --ah-hyperpyrexia: var(--deep-purple-color, #6a1b9a);
    --ah-hypothermia: var(--info-color, #039be5);
  }
  ha-card {
    overflow: hidden;
  }
  .header {
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 16px 16px 8px;
    font-size: var(--ha-font-size-xl, 20px);
    color: var(--primary-text-color);
  }
  .header ha-icon {
    color: var(--state-icon-color, var(--primary-color));
  }
  .message {
    padding: 8px 16px 16px;
    color: var(--secondary-text-color);
  }
  .error {
    margin: 8px 16px;
    padding: 8px 12px;
    border-radius: var(--ha-card-border-radius, 12px);
    background: rgba(var(--rgb-error-color, 219, 68, 55), 0.12);
    color: var(--error-color, #db4437);
    cursor: pointer;
  }
  .member {
    border-top: 1px solid var(--divider-color);
  }
  .row {
    display: flex;
    align-items: center;
    gap: 12px;
    width: 100%;
    padding: 10px 16px;
    background: none;
    border: none;
    font: inherit;
    color: var(--primary-text-color);
    text-align: start;
    cursor: pointer;
  }
  .row:focus-visible {
    outline: 2px solid var(--primary-color);
    outline-offset: -2px;
  }
  .avatar {
    flex: none;
    display: grid;
    place-items: center;
    width: 36px;
    height: 36px;
    border-radius: 50%;
    background: var(--secondary-background-color);
    color: var(--primary-text-color);
    font-weight: 500;
  }
  .who {
    flex: 1;
    min-width: 0;
  }
  .name {
    font-weight: 500;
  }
  .summary {
    color: var(--secondary-text-color);
    font-size: var(--ha-font-size-s, 12px);
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .chip {
    display: inline-block;
    padding: 1px 8px;
    border-radius: 10px;
    font-size: var(--ha-font-size-s, 12px);
    color: var(--text-primary-color, #fff);
    background: var(--ah-normal);
  }
  .chip.low_grade { background: var(--ah-low_grade); }
  .chip.fever { background: var(--ah-fever); }
  .chip.high_fever { background: var(--ah-high_fever); }
  .chip.hyperpyrexia { background: var(--ah-hyperpyrexia); }
  .chip.hypothermia { background: var(--ah-hypothermia); }
  .chip.muted {
    background: var(--secondary-background-color);
    color: var(--secondary-text-color);
  }
  .badge {
    flex: none;
    min-width: 20px;
    padding: 0 6px;
    border-radius: 10px;
    background: var(--primary-color);
    color: var(--text-primary-color, #fff);
    font-size: var(--ha-font-size-s, 12px);
    line-height: 20px;
    text-align: center;
  }
  .details {
    padding: 0 16px 12px 64px;
  }
  .section {
    margin-top: 8px;
  }
  .section h3 {
    margin: 0 0 4px;
    font-size: var(--ha-font-size-m, 14px);
    font-weight: 500;
    color: var(--secondary-text-color);
  }
  .line-text {
    margin: 2px 0;
    color: var(--primary-text-color);
  }
  .secondary {
    color: var(--secondary-text-color);
    font-size: var(--ha-font-size-s, 12px);
  }
  .chart {
    display: block;
    width: 100%;
    height: auto;
    max-height: 140px;
    margin: 4px 0;
  }
  .chart .band { opacity: 0.22; }
  .chart .band.low_grade { fill: var(--ah-low_grade); }
  .chart .band.fever { fill: var(--ah-fever); }
  .chart .band.high_fever { fill: var(--ah-high_fever); }
  .chart .band.hyperpyrexia { fill: var(--ah-hyperpyrexia); }
  .chart .line {
    fill: none;
    stroke: var(--primary-color);
    stroke-width: 2;
    stroke-linejoin: round;
  }
  .chart .point { fill: var(--primary-color); }
  .chart .axis {
    fill: var(--secondary-text-color);
    font-size: 9px;
  }
  .chart .check {
    stroke: var(--primary-color);
    stroke-dasharray: 1 3;
    stroke-width: 1.5;
  }
  .chart .dose {
    stroke: var(--secondary-text-color);
    stroke-dasharray: 2 2;
  }
  .chart .forecast {
    fill: none;
    stroke: var(--primary-color);
    stroke-dasharray: 4 3;
    stroke-width: 1.5;
  }
  .chart .forecast-band {
    fill: var(--primary-color);
    opacity: 0.15;
  }
  .chart.weight { max-height: 80px; }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    margin-top: 6px;
  }
  .block {
    border-top: 1px solid var(--divider-color);
    padding: 8px 16px 12px;
  }
  .block h2 {
    margin: 4px 0 6px;
    font-size: var(--ha-font-size-l, 16px);
    font-weight: 500;
    color: var(--primary-text-color);
  }
  .chore {
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 4px 0;
  }
  .chore .what {
    flex: 1;
    min-width: 0;
  }
  .chore.done .title {
    text-decoration: line-through;
    color: var(--secondary-text-color);
  }
  .chore.overdue .when {
    color: var(--error-color, #db4437);
  }
  .icon-button {
    flex: none;
    display: grid;
    place-items: center;
    width: 36px;
    height: 36px;
    padding: 0;
    border: none;
    border-radius: 50%;
    background: none;
    color: var(--secondary-text-color);
    cursor: pointer;
  }
  .icon-button.done {
    color: var(--primary-color);
  }
  .icon-button:hover {
    background: var(--secondary-background-color);
  }
  .icon-button svg {
    width: 22px;
    height: 22px;
    fill: currentColor;
  }
  .held {
    padding: 4px 0;
  }
  .names {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    margin-top: 4px;
  }
  .name-button {
    padding: 4px 12px;
    border: 1px solid var(--divider-color);
    border-radius: 16px;
    background: var(--card-background-color);
    color: var(--primary-text-color);
    font: inherit;
    cursor: pointer;
  }
  .name-button.discard {
    color: var(--error-color, #db4437);
  }
`,Be=Z`
  .overlay {
    position: fixed;
    inset: 0;
    z-index: 10;
    display: grid;
    place-items: center;
    background: rgba(0, 0, 0, 0.4);
  }
  form {
    width: min(360px, calc(100vw - 32px));
    padding: 20px;
    border-radius: var(--ha-dialog-border-radius, 24px);
    background: var(--card-background-color, var(--primary-background-color));
    color: var(--primary-text-color);
    box-shadow: var(--ha-card-box-shadow, 0 4px 16px rgba(0, 0, 0, 0.3));
  }
  h2 {
    margin: 0 0 16px;
    font-size: var(--ha-font-size-xl, 20px);
    font-weight: 400;
  }
  label {
    display: block;
    margin-bottom: 12px;
    color: var(--secondary-text-color);
    font-size: var(--ha-font-size-s, 12px);
  }
  input,
  select {
    box-sizing: border-box;
    display: block;
    width: 100%;
    margin-top: 4px;
    padding: 10px;
    border: 1px solid var(--divider-color);
    border-radius: 8px;
    background: var(--secondary-background-color);
    color: var(--primary-text-color);
    font: inherit;
    font-size: var(--ha-font-size-l, 16px);
  }
  .pair {
    display: flex;
    gap: 8px;
  }
  .pair label:first-child {
    flex: 2;
  }
  .pair label:last-child {
    flex: 1;
  }
  .buttons {
    display: flex;
    justify-content: flex-end;
    gap: 8px;
    margin-top: 8px;
  }
  .error {
    margin-bottom: 12px;
    color: var(--error-color, #db4437);
  }
`;var Ve=["oral","ear","forehead","axillary","rectal"],R=["temperature","weight","chores","held"];function re(n){return n?.message??String(n)}var $=class extends _{constructor(){super(...arguments);this.kind="temperature";this.member="";this.memberName="";this.site="oral";this.error="";this.busy=!1}render(){let t=this.localize,r=this.kind==="temperature",s=r?ye(this.hass):$e(this.hass),o=r?["°C","°F"]:["kg","lb"];return p`<div class="overlay" @click=${this.backdrop}>
      <form @submit=${this.save} role="dialog" aria-modal="true">
        <h2>${t(`dialog.${this.kind}_title`,{name:this.memberName})}</h2>
        ${this.error?p`<div class="error" role="alert">${this.error}</div>`:d}
        <div class="pair">
          <label
            >${t("dialog.value")}
            <input name="value" type="number" inputmode="decimal" step="0.1" required autofocus
          /></label>
          <label
            >${t("dialog.unit")}
            <select name="unit">
              ${o.map(i=>p`<option value=${i} ?selected=${i===s}>${i}</option>`)}
            </select></label
          >
        </div>
        ${r?p`<label
              >${t("dialog.site")}
              <select name="site">
                ${Ve.map(i=>p`<option value=${i} ?selected=${i===this.site}>${t(`site.${i}`)}</option>`)}
              </select></label
            >`:d}
        <div class="buttons">
          <ha-button appearance="plain" @click=${this.close}>${t("action.cancel")}</ha-button>
          <ha-button ?disabled=${this.busy} @click=${this.save}>${t("action.save")}</ha-button>
        </div>
      </form>
    </div>`}firstUpdated(){this.renderRoot.querySelector("input[name=value]")?.focus()}backdrop(t){t.target===t.currentTarget&&this.close()}close(){this.dispatchEvent(new CustomEvent("closed"))}async save(t){t.preventDefault();let r=this.renderRoot.querySelector("form");if(!r.reportValidity())return;let s=new FormData(r),o=Number(s.get("value")),i={member:this.member,unit:s.get("unit")};i[this.kind]=o,this.kind==="temperature"&&(i.site=s.get("site")),this.busy=!0;try{await this.hass.callService("auto_home",`record_${this.kind}`,i),this.close()}catch(c){this.error=re(c)}finally{this.busy=!1}}};$.styles=Be,g([y({attribute:!1})],$.prototype,"hass",2),g([y({attribute:!1})],$.prototype,"localize",2),g([y()],$.prototype,"kind",2),g([y()],$.prototype,"member",2),g([y()],$.prototype,"memberName",2),g([y()],$.prototype,"site",2),g([f()],$.prototype,"error",2),g([f()],$.prototype,"busy",2),$=g([P("auto-home-log-dialog")],$);var We={en:{name:"Auto Home household",description:"Each member's temperature, weight and chores at a glance, with one-tap Done and small dialogs to log a reading.",loading:"Connecting to the household…",temperature:"Temperature",weight:"Weight",chores:"Chores",held:"Waiting for their owner",no_reading:"No reading yet",private:"Private",away:"Away",due_count:"{count} due",measured:"{value}, {site}",oral_equivalent:"≈ {value} oral",episode:"Fever since {time}, peak {peak}",next_check:"Next check {when}",check_due:"Check was due {when}",weekly_change:"{change} a week",forecast:"In 30 days: {value} (80 %: {low}–{high})",goal_date:"Goal {goal} around {date}",goal_reason:{no_goal:"No goal set",not_enough_data:"Not enough readings for a goal date yet",reached:"Goal reached",too_slow:"Goal too far away at this pace",moving_away:"Moving away from the goal"},due_at:"Due {when}",due_today:"Due today",snoozed_until:"Snoozed until {time}",done_by:"Done by {name}",anyone:"Anyone",nothing_due:"Nothing due today",later:"{count} more later",show_all:"Show {count} more",held_reading:"{weight} at {time}",whose:"Whose is it?",action:{done:"Done",snooze:"Snooze 1 h",skip:"Skip",log_temperature:"Log temperature",log_weight:"Log weight",discard:"Discard",save:"Save",cancel:"Cancel"},dialog:{temperature_title:"Temperature of {name}",weight_title:"Weight of {name}",value:"Reading",unit:"Unit",site:"Measured at"},editor:{title:"Title",members:"Members (none chosen: everyone)",sections:"Sections"},failed:"Could not do that: {message}",site:{oral:"Oral",ear:"Ear",forehead:"Forehead",axillary:"Armpit (axillary)",rectal:"Rectal"},class:{normal:"Normal",low_grade:"Low-grade fever",fever:"Fever",high_fever:"High fever",hyperpyrexia:"Hyperpyrexia",hypothermia:"Hypothermia"},status:{upcoming:"Upcoming",due:"Due",overdue:"Overdue",done:"Done"}},"zh-Hans":{name:"Auto Home 家庭",description:"一眼看到每位成员的体温、体重和家务：家务一键完成，读数在小窗口里随手记录。",loading:"正在连接家庭…",temperature:"体温",weight:"体重",chores:"家务",held:"等待认领的读数",no_reading:"还没有读数",private:"不公开",away:"外出",due_count:"{count} 项待办",measured:"{value}，{site}",oral_equivalent:"约合口温 {value}",episode:"自 {time} 起发热，最高 {peak}",next_check:"{when}再测",check_due:"本应{when}再测",weekly_change:"每周 {change}",forecast:"30 天后：{value}（80% 区间 {low}–{high}）",goal_date:"预计 {date} 前后达到目标 {goal}",goal_reason:{no_goal:"未设目标",not_enough_data:"读数还不够，暂时估不出达标日期",reached:"已达到目标",too_slow:"按目前的速度，离目标还太远",moving_away:"正在偏离目标"},due_at:"{when}到期",due_today:"今天到期",snoozed_until:"已推迟到 {time}",done_by:"由{name}完成",anyone:"任何人",nothing_due:"今天没有待办",later:"之后还有 {count} 项",show_all:"再显示 {count} 项",held_reading:"{time} 的 {weight}",whose:"这是谁的？",action:{done:"完成",snooze:"推迟 1 小时",skip:"跳过",log_temperature:"记录体温",log_weight:"记录体重",discard:"丢弃",save:"保存",cancel:"取消"},dialog:{temperature_title:"{name}的体温",weight_title:"{name}的体重",value:"读数",unit:"单位",site:"测量部位"},editor:{title:"标题",members:"成员（不选则显示全部）",sections:"显示的部分"},failed:"操作未完成：{message}",site:{oral:"口腔",ear:"耳道",forehead:"额头",axillary:"腋下",rectal:"直肠（肛温）"},class:{normal:"正常",low_grade:"低热",fever:"发热",high_fever:"高热",hyperpyrexia:"超高热",hypothermia:"低体温"},status:{upcoming:"即将到期",due:"到期",overdue:"逾期",done:"已完成"}}};var se=We;function V(n){let e=n?.locale?.language??n?.language??"en";return e in se?e:e.startsWith("zh")?"zh-Hans":"en"}function W(n){let e=se[n]??se.en;return(t,r)=>{let s=Ge(e,t)??Ge(se.en,t)??t;return r?s.replace(/\{(\w+)\}/g,(o,i)=>String(r[i]??o)):s}}function Ge(n,e){let t=n;for(let r of e.split(".")){if(typeof t!="object")return;t=t[r]}return typeof t=="string"?t:void 0}var H=class extends _{constructor(){super(...arguments);this.members=[];this.asked=!1}setConfig(t){this.config=t}willUpdate(){this.hass&&!this.asked&&(this.asked=!0,this.loadMembers(this.hass))}loadMembers(t){let r,s=!1,o={type:"auto_home/subscribe"};this.config?.entry_id&&(o.entry_id=this.config.entry_id),t.connection.subscribeMessage(i=>{if(!("snapshot"in i)||s)return;s=!0;let{order:c,members:a}=i.snapshot;this.members=c.filter(l=>a[l]).map(l=>({value:l,label:a[l].name})),r?.()},o).then(i=>{r=i,s&&i()}).catch(()=>{})}render(){if(!this.hass||!this.config)return d;let t=W(V(this.hass)),r=[{name:"title",selector:{text:{}}},{name:"members",selector:{select:{multiple:!0,mode:"list",options:this.members}}},{name:"sections",selector:{select:{multiple:!0,mode:"list",options:R.map(o=>({value:o,label:t(o)}))}}}],s={...this.config,sections:this.config.sections??[...R]};return p`<ha-form
      .hass=${this.hass}
      .data=${s}
      .schema=${r}
      .computeLabel=${o=>t(`editor.${o.name}`)}
      @value-changed=${this.changed}
    ></ha-form>`}changed(t){t.stopPropagation();let r={...t.detail.value};r.title||delete r.title,r.members?.length||delete r.members,r.sections&&R.every(s=>r.sections.includes(s))&&delete r.sections,this.config=r,this.dispatchEvent(new CustomEvent("config-changed",{detail:{config:r},bubbles:!0,composed:!0}))}};g([y({attribute:!1})],H.prototype,"hass",2),g([f()],H.prototype,"config",2),g([f()],H.prototype,"members",2),H=g([P("auto-home-card-editor")],H);function _t(n,e){let t={...n};if(e.members){let r={...n.members};for(let[s,o]of Object.entries(e.members))o===null?delete r[s]:r[s]={...r[s],...o};t.members=r}if(e.chores){let r={...n.chores};for(let[s,o]of Object.entries(e.chores))o===null?delete r[s]:r[s]=o;t.chores=r}return e.now!==void 0&&(t.now=e.now),e.order&&(t.order=e.order),e.upcoming!==void 0&&(t.upcoming=e.upcoming),e.held&&(t.held=e.held),e.viewer&&(t.viewer=e.viewer),e.thresholds&&(t.thresholds=e.thresholds),e.title!==void 0&&(t.title=e.title),t}function Ke(n,e){return"snapshot"in e?e.snapshot:"delta"in e?n&&_t(n,e.delta):n}var wt="M21,7L9,19L3.5,13.5L4.91,12.09L9,16.17L19.59,5.59L21,7Z",St="M7.88,3.39L6.6,1.86L2,5.71L3.29,7.24L7.88,3.39M22,5.72L17.4,1.86L16.11,3.39L20.71,7.25L22,5.72M12,4A9,9 0 0,0 3,13A9,9 0 0,0 12,22A9,9 0 0,0 21,13A9,9 0 0,0 12,4M12,20A7,7 0 0,1 5,13A7,7 0 0,1 12,6A7,7 0 0,1 19,13A7,7 0 0,1 12,20M9,11H12.63L9,15.2V17H15V15H11.37L15,10.8V9H9V11Z",kt="M16,18H18V6H16M6,18L14.5,12L6,6V18Z",At=12,Ze={overdue:0,due:1,upcoming:2,done:3},Et=3e4,Ct=5e3,b=class extends _{constructor(){super(...arguments);this.expanded=new Set;this.error="";this.missing="";this.clock=Date.now();this.allChores=!1;this.skew=0;this.formatterKey=""}static getConfigElement(){return document.createElement("auto-home-card-editor")}static getStubConfig(){return{}}setConfig(t){if(t.sections?.some(s=>!R.includes(s)))throw new Error(`sections: one of ${R.join(", ")}`);let r=this.config&&this.config.entry_id!==t.entry_id;this.config=t,r&&(this.stop(),this.start())}getCardSize(){return 2+(this.household?.order.length??2)}connectedCallback(){super.connectedCallback(),this.start(),this.timer=window.setInterval(()=>this.clock=Date.now(),Et)}disconnectedCallback(){super.disconnectedCallback(),this.stop(),window.clearInterval(this.timer),window.clearTimeout(this.retryTimer)}willUpdate(t){t.has("hass")&&this.start()}start(){if(this.unsubscribe||!this.hass||!this.isConnected||!this.config)return;let t={type:"auto_home/subscribe"};this.config.entry_id&&(t.entry_id=this.config.entry_id),this.unsubscribe=this.hass.connection.subscribeMessage(r=>this.receive(r),t),this.unsubscribe.catch(r=>{this.missing=re(r),this.unsubscribe=void 0,this.retry()})}retry(){window.clearTimeout(this.retryTimer),this.retryTimer=window.setTimeout(()=>this.start(),Ct)}stop(){let t=this.unsubscribe;this.unsubscribe=void 0,t?.then(r=>r()).catch(()=>{})}receive(t){if("closed"in t){this.stop(),this.retry();return}this.household=Ke(this.household,t),this.household&&(this.skew=this.household.now-Date.now()/1e3),this.missing=""}now(){return this.clock/1e3+this.skew}shows(t){return!this.config.sections||this.config.sections.includes(t)}render(){if(!this.config||!this.hass)return d;let t=V(this.hass),r=W(t),s=this.household,o=this.config.title??s?.title??r("name");return p`<ha-card>
      <div class="header"><ha-icon icon="mdi:home-heart"></ha-icon>${o}</div>
      ${this.error?p`<div class="error" role="alert" @click=${()=>this.error=""}>
            ${r("failed",{message:this.error})}
          </div>`:d}
      ${s?this.renderHousehold(s,r,this.formatter(t)):p`<div class="message">${this.missing||r("loading")}</div>`}
      ${this.dialog?this.renderDialog(s,r):d}
    </ha-card>`}formatter(t){let r=this.hass,s=[t,r.locale?.time_zone,r.config.time_zone,r.config.unit_system.temperature,r.config.unit_system.mass].join("|");return this.formatterKey!==s&&(this.formatterKey=s,this.cachedFormatter=new te(r,t)),this.cachedFormatter}renderHousehold(t,r,s){let o=this.config.members?.length?new Set(this.config.members):void 0,i=t.order.filter(a=>t.members[a]&&(!o||o.has(a))),c=this.shows("temperature")||this.shows("weight");return p`${i.map(a=>this.renderMember(t,a,c,r,s))}
    ${this.shows("chores")?this.renderChores(t,o,r,s):d}
    ${this.shows("held")&&t.held.length?this.renderHeld(t,r,s):d}`}renderMember(t,r,s,o,i){let c=t.members[r],a=s&&this.expanded.has(r),l=[];return c.private?l.push(o("private")):(this.shows("temperature")&&c.temp&&l.push(p`<span class="chip ${c.temp.class}">${i.temperature(c.temp.c)}</span>`),this.shows("weight")&&c.weight&&l.push(i.weight(c.weight.kg))),c.away&&l.push(o("away")),p`<div class="member" data-member=${r}>
      <button class="row" aria-expanded=${a} @click=${()=>this.toggle(r)}>
        <span class="avatar">${c.name.slice(0,1).toUpperCase()}</span>
        <span class="who">
          <div class="name">${c.name}</div>
          <div class="summary">${l.map((h,u)=>p`${u?" · ":""}${h}`)}</div>
        </span>
        ${this.shows("chores")&&c.due?p`<span class="badge" title=${o("due_count",{count:c.due})}>${c.due}</span>`:d}
      </button>
      ${a&&!c.private?p`<div class="details">
            ${this.shows("temperature")?this.renderTemperature(t,r,c,o,i):d}
            ${this.shows("weight")?this.renderWeight(r,c,o,i):d}
          </div>`:d}
    </div>`}renderTemperature(t,r,s,o,i){let c=s.temp,a=s.episode,l=this.now();return p`<div class="section temperature">
      <h3>${o("temperature")}</h3>
      ${c?p`<div class="line-text">
              ${o("measured",{value:i.temperature(c.c),site:o(`site.${c.site}`)})}
              <span class="chip ${c.class}">${o(`class.${c.class}`)}</span>
            </div>
            <div class="secondary">
              ${i.clock(c.at,l)}${c.site!=="oral"?p` · ${o("oral_equivalent",{value:i.temperature(c.core)})}`:d}
            </div>`:p`<div class="secondary">${o("no_reading")}</div>`}
      ${a?p`<div class="episode">
            <div class="line-text">
              ${o("episode",{time:i.clock(a.start,l),peak:i.temperature(a.peak)})}
            </div>
            ${Ie(a,t.thresholds,l,h=>i.temperature(h))}
            ${a.check?p`<div class="line-text next-check">
                  ${o(a.check>l?"next_check":"check_due",{when:i.fromNow(a.check,l)})}
                </div>`:d}
          </div>`:d}
      ${this.logButton("temperature",r,o)}
    </div>`}renderWeight(t,r,s,o){let i=r.weight,c=[];return i&&(i.week!==null&&c.push(s("weekly_change",{change:o.weightChange(i.week)})),i.forecast&&c.push(s("forecast",{value:o.weight(i.forecast.kg),low:o.weight(i.forecast.low),high:o.weight(i.forecast.high)})),i.goal!==null&&i.goal_date?c.push(s("goal_date",{goal:o.weight(i.goal),date:o.isoDate(i.goal_date)})):i.goal_reason&&c.push(s(`goal_reason.${i.goal_reason}`))),p`<div class="section weight">
      <h3>${s("weight")}</h3>
      ${i?p`<div class="line-text">${o.weight(i.kg)}
              <span class="secondary">${o.clock(i.at,this.now())}</span></div>
            ${Fe(i)}
            ${c.map(a=>p`<div class="secondary">${a}</div>`)}`:p`<div class="secondary">${s("no_reading")}</div>`}
      ${this.logButton("weight",t,s)}
    </div>`}renderChores(t,r,s,o){let i=Object.entries(t.chores).filter(([,h])=>!r||!h.assignee||r.has(h.assignee)).sort(([,h],[,u])=>Ze[h.status]-Ze[u.status]||h.due-u.due),c=this.allChores?i:i.slice(0,At),a=i.length-c.length,l=this.now();return p`<div class="block chores">
      <h2>${s("chores")}</h2>
      ${i.length?d:p`<div class="secondary">${s("nothing_due")}</div>`}
      ${c.map(([h,u])=>this.renderChore(t,h,u,l,s,o))}
      ${a?p`<button class="name-button more" @click=${()=>this.allChores=!0}>
            ${s("show_all",{count:a})}
          </button>`:d}
      ${t.upcoming?p`<div class="secondary">${s("later",{count:t.upcoming})}</div>`:d}
    </div>`}renderChore(t,r,s,o,i,c){let a=h=>h&&t.members[h]?.name||i("anyone"),l;return s.status==="done"?l=i("done_by",{name:a(s.by)}):s.snoozed&&s.snoozed>o?l=i("snoozed_until",{time:c.clock(s.snoozed,o)}):s.status==="overdue"?l=`${i("status.overdue")} · ${i("due_at",{when:c.fromNow(s.due,o)})}`:s.all_day?l=i("due_today"):l=i("due_at",{when:c.clock(s.due,o)}),p`<div class="chore ${s.status}" data-chore=${r}>
      <div class="what">
        <div class="title">${s.name}</div>
        <div class="secondary"><span class="assignee">${a(s.assignee)}</span> · <span class="when">${l}</span></div>
      </div>
      ${s.status==="done"?d:p`${this.iconButton(i("action.skip"),kt,"skip",()=>this.call("skip_chore",{chore:r}))}
          ${this.iconButton(i("action.snooze"),St,"snooze",()=>this.call("snooze_chore",{chore:r,duration:"01:00:00"}))}
          ${this.iconButton(i("action.done"),wt,"done",()=>this.call("complete_chore",{chore:r}))}`}
    </div>`}logButton(t,r,s){return p`<div class="actions">
      <ha-button appearance="filled" @click=${()=>this.dialog={kind:t,member:r}}>
        ${s(`action.log_${t}`)}
      </ha-button>
    </div>`}iconButton(t,r,s,o){return p`<button class="icon-button ${s}" title=${t} aria-label=${t} @click=${o}>
      <svg viewBox="0 0 24 24"><path d=${r}></path></svg>
    </button>`}renderHeld(t,r,s){let o=t.viewer,i=t.order.filter(a=>t.members[a]&&(o.admin||o.scope==="all"||a===o.member)),c=this.now();return p`<div class="block held-readings">
      <h2>${r("held")}</h2>
      ${t.held.map(a=>p`<div class="held" data-reading=${a.id}>
          <div class="line-text">${r("held_reading",{weight:s.weight(a.kg),time:s.clock(a.at,c)})}</div>
          <div class="secondary">${r("whose")}</div>
          <div class="names">
            ${i.map(l=>p`<button class="name-button" data-member=${l}
                @click=${()=>this.call("assign_weight",{reading_id:a.id,member:l})}>
                ${t.members[l].name}
              </button>`)}
            ${o.discard?p`<button class="name-button discard"
                  @click=${()=>this.call("discard_weight",{reading_id:a.id})}>${r("action.discard")}</button>`:d}
          </div>
        </div>`)}
    </div>`}renderDialog(t,r){let{kind:s,member:o}=this.dialog,i=t?.members[o];return p`<auto-home-log-dialog
      .hass=${this.hass}
      .localize=${r}
      .kind=${s}
      .member=${o}
      .memberName=${i?.name??""}
      .site=${i?.temp?.site??"oral"}
      @closed=${()=>this.dialog=void 0}
    ></auto-home-log-dialog>`}toggle(t){let r=new Set(this.expanded);r.delete(t)||r.add(t),this.expanded=r}async call(t,r){this.error="";try{await this.hass.callService("auto_home",t,r)}catch(s){this.error=re(s)}}};b.styles=qe,g([y({attribute:!1})],b.prototype,"hass",2),g([f()],b.prototype,"config",2),g([f()],b.prototype,"household",2),g([f()],b.prototype,"expanded",2),g([f()],b.prototype,"dialog",2),g([f()],b.prototype,"error",2),g([f()],b.prototype,"missing",2),g([f()],b.prototype,"clock",2),g([f()],b.prototype,"allChores",2),b=g([P("auto-home-card")],b);var Je=W(V({language:document.documentElement.lang||"en"}));window.customCards=window.customCards??[];window.customCards.push({type:"auto-home-card",name:Je("name"),description:Je("description"),preview:!0,documentationURL:"https://github.com/auto-home/auto_home#household-card"});export{b as AutoHomeCard};
