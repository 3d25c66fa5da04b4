#![allow(clippy::unwrap_used)]
use std::time::Instant;
use tradescout_sanctions::*;
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 { self.0 ^= self.0 << 13; self.0 ^= self.0 >> 7; self.0 ^= self.0 << 17; self.0 }
    fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str { v[(self.next() % v.len() as u64) as usize] }
}
const SYL: &[&str] = &["ka","ri","mo","ha","med","al","ra","shid","ser","gei","pet","rov","ivan","ov","zhang","wei","li","hua","tech","nor","ta","bel","gor","vin","sa","mir","lan","dor","el","fa","zi","qu","xi","ben","tor","mak","sul","tan","ov","yev","ich","ko","va","lenko","ab","dul","ka","rim","nas","ser","ou","ssef","ali"];
const BIZ: &[&str] = &["Trading","Energy","Shipping","Metals","Petro","Holding","Group","Bank","Industries","Marine","Electronics","Machinery","Logistics","Chemical","Mining","Aviation"];
const LEGAL: &[&str] = &["LLC","Ltd","Co., Ltd.","GmbH","OOO","JSC","S.A.","FZE",""];
const CONS: &[&str] = &["b","d","f","g","h","k","l","m","n","p","r","s","t","v","z","sh","kh","ch","y","j"];
const VOW: &[&str] = &["a","e","i","o","u","a","o"];
fn word(r: &mut Rng) -> String { let mut w = String::new(); if r.next() % 10 < 3 { w.push_str(r.pick(SYL)); w.push_str(r.pick(SYL)); } else { let n = 2 + r.next() % 2; for _ in 0..n { w.push_str(r.pick(CONS)); w.push_str(r.pick(VOW)); } if r.next() % 2 == 0 { w.push_str(r.pick(CONS)); } } let mut c = w.chars(); match c.next() { Some(f) => f.to_uppercase().collect::<String>() + c.as_str(), None => w } }
fn typo(r: &mut Rng, s: &str) -> String { let mut b: Vec<char> = s.chars().collect(); if b.len() > 4 { let i = 1 + (r.next() as usize % (b.len() - 2)); b.swap(i, i + 1); } b.into_iter().collect() }
fn generate(n: usize, aliases: usize) -> SanctionsList {
    let mut r = Rng(0x9E3779B97F4A7C15);
    let mut entries = Vec::with_capacity(n);
    for i in 0..n {
        let person = r.next() % 2 == 0;
        let name = if person { format!("{} {} {}", word(&mut r), word(&mut r), word(&mut r)) } else { format!("{} {} {}", word(&mut r), r.pick(BIZ), r.pick(LEGAL)) };
        let mut e = Entry { id: i.to_string(), list: "gen".into(), kind: if person { EntryKind::Person } else { EntryKind::Organization }, name: name.clone(), countries: vec![["RU","IR","AE","CN","KP"][i % 5].into()], ..Default::default() };
        for _ in 0..aliases { e.aliases.push(if r.next() % 2 == 0 { typo(&mut r, &name) } else { format!("{} {}", word(&mut r), word(&mut r)) }); }
        entries.push(e);
    }
    SanctionsList { name: "gen".into(), entries, ..Default::default() }
}
fn bench(n: usize, aliases: usize) {
    let list = generate(n, aliases);
    let names: usize = list.entries.iter().map(|e| 1 + e.aliases.len()).sum();
    let queries: Vec<String> = { let mut r = Rng(42); (0..2000).map(|i| if i % 2 == 0 { let e = &list.entries[(r.next() % n as u64) as usize]; typo(&mut r, &e.name) } else { format!("{} {} {}", word(&mut r), r.pick(BIZ), word(&mut r)) }).collect() };
    let t = Instant::now();
    let s = Screener::new(vec![list], MatchSettings::default());
    let build = t.elapsed();
    let mut times = Vec::new();
    let (mut found, mut false_hits) = (0, 0);
    for (i, q) in queries.iter().enumerate() { let t = Instant::now(); let h = s.screen(q, &ScreenOptions::default()); times.push(t.elapsed().as_secs_f64() * 1e3); if !h.is_empty() { if i % 2 == 0 { found += 1 } else { false_hits += 1 } } }
    times.sort_by(|a, b| a.total_cmp(b));
    let mean = times.iter().sum::<f64>() / times.len() as f64;
    println!("entries {n} names {names}: build {:.2?}; per name mean {:.3} ms p50 {:.3} p99 {:.3} max {:.3}; listed typos found {found}/1000, random names with a hit {false_hits}/1000", build, mean, times[1000], times[1980], times[1999]);
}
#[test]
fn scratch_bench() { bench(18_000, 2); bench(50_000, 4); }
