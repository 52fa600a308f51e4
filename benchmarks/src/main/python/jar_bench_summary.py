"""Summarises JarBench samples (samples.csv, samples-nohelpers.csv in the working folder): medians, per-round ranges, GFLOP/s."""
import csv, statistics as st, collections
rows=list(csv.reader(open('samples.csv')))
d=collections.defaultdict(lambda: collections.defaultdict(list))
for tag,rnd,fig,i,wall,cpu,proc,calls in rows:
    d[(fig,tag)][rnd].append((float(wall),float(cpu)))
def q(xs,p):
    xs=sorted(xs); k=(len(xs)-1)*p; f=int(k); c=min(f+1,len(xs)-1); return xs[f]+(xs[c]-xs[f])*(k-f)
def fl(B,T,I,H,L,m2m,G=4,C=10):
    f=0
    for l in range(L):
        i=I if l==0 else H; f+=2*B*T*(i+H)*G*H
    return f+2*B*(T if m2m else 1)*H*C
FL={'a':fl(32,50,64,128,1,False),'b':fl(32,100,128,256,2,True),'c':fl(1,200,32,64,1,False),'d':fl(64,35,256,512,1,True)}
def flops(fig):
    if fig=='gemm_32x128x512': return 2*32*128*512
    if fig=='gemm_2048': return 2*2048**3
    s=fig.split('_')[0]; f=FL[s]
    return 3*f if fig.endswith('fwdbwd') else f
jars=['linux-x86_64','linux-x86_64-avx2','linux-x86_64-onednn-avx2']
figs=[]
for (fig,tag) in d:
    if fig not in figs: figs.append(fig)
res={}
for fig in figs:
    for j in jars:
        if (fig,j) not in d: continue
        rounds=d[(fig,j)]
        cpu=[c for r in rounds.values() for w,c in r]; wall=[w for r in rounds.values() for w,c in r]
        rm=[st.median([c for w,c in r]) for r in rounds.values()]
        res[(fig,j)]=dict(med=st.median(cpu),p25=q(cpu,.25),p75=q(cpu,.75),rmin=min(rm),rmax=max(rm),wall=st.median(wall),n=len(cpu),nr=len(rm),gf=flops(fig)/(st.median(cpu)*1e6))
import json
json.dump({f'{k[0]}|{k[1]}':v for k,v in res.items()},open('summary.json','w'),indent=1)
for fig in figs:
    print(fig)
    for j in jars:
        if (fig,j) in res:
            r=res[(fig,j)]; print(f"  {j:26s} cpu med {r['med']:9.3f} IQR [{r['p25']:.3f}-{r['p75']:.3f}] round-medians [{r['rmin']:.3f}-{r['rmax']:.3f}] wall med {r['wall']:9.3f}  {r['gf']:6.1f} GF/s  n={r['n']}/{r['nr']}")
