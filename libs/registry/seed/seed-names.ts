import type { Faker } from '@faker-js/faker';

/**
 * Invented but plausible place and person names for the Linhai seed. Village names follow the
 * shapes common in Taizhou: a place word and a landform (东岙, 下洋, 岭根, 溪口), or a clan name
 * and a landform (王家岙). They are drawn from fixed lists, so the same seed gives the same names;
 * any likeness to a real village is chance.
 */
const PLACE_WORDS = [...'东西南北上下前后中大小新里外高横长石白黄青梅桃竹松枫杨柳龙凤金樟茶桐双沙泉塘花岩'];
const LANDFORMS =
  '岙 洋 垟 岭根 岭头 溪口 溪头 山头 山下 坑 湾 塘 桥 埠 田 岩 墩 浦 港 庄 园 坦 岗 坪 潭 渡 岸 洞 门 林 湖 畈 头 坎 屿'.split(' ');
const CLAN_LANDFORMS = [...'岙洋塘桥湾岭山埠庄坑岸墩'];
/** Urban 街道 have 社区 as well as villages. */
const COMMUNITY_WORDS = (
  '城东 城西 城南 城北 江滨 望江 新民 和平 文化 光明 振兴 东湖 西湖 白云 丰泽 锦绣 ' +
  '春晖 朝阳 永安 兴华 柏叶 双港 溪滨 靖江 崇和 迎春 长安 幸福 安康 景园 桥南 府前'
).split(' ');

/** Common surnames around Taizhou with rough weights, so that names read like a local register. */
const SURNAMES = (
  '王10 陈10 李7 张6 林8 郑5 金4 徐4 周4 杨4 黄4 吴4 叶4 何3 罗3 蒋3 朱3 卢3 胡3 许3 应2 潘2 ' +
  '赵2 梁2 洪2 屈2 蔡2 方2 冯2 童1 陶1 章2 项1 戴1 邵1 孙1 管1 牟1 余1 严1 丁1 泮1 任1'
)
  .split(' ')
  .map((s) => ({ value: s.slice(0, 1), weight: Number(s.slice(1)) }));

const CLANS = [...'王陈李张林郑金徐周杨黄吴叶何蒋朱卢胡许应'];

const DIGITS = [...'零一二三四五六七八九十'];

/** A person's name: a local surname and a zh_CN given name from faker. */
export function personName(faker: Faker): string {
  return faker.helpers.weightedArrayElement(SURNAMES) + faker.person.firstName();
}

/** Hands out village (and 社区) names that are unique across the whole city. */
export class VillageNamer {
  private readonly used = new Set<string>();

  constructor(private readonly faker: Faker) {}

  village(): string {
    return this.unique(() => {
      const f = this.faker;
      const shape = f.number.int({ min: 0, max: 9 });
      if (shape < 6) return `${f.helpers.arrayElement(PLACE_WORDS)}${f.helpers.arrayElement(LANDFORMS)}村`;
      if (shape < 9) return `${f.helpers.arrayElement(CLANS)}家${f.helpers.arrayElement(CLAN_LANDFORMS)}村`;
      return `${f.helpers.arrayElement(PLACE_WORDS)}${f.helpers.arrayElement(PLACE_WORDS)}${f.helpers.arrayElement(CLAN_LANDFORMS)}村`;
    });
  }

  community(): string {
    return this.unique(() => `${this.faker.helpers.arrayElement(COMMUNITY_WORDS)}社区`);
  }

  private unique(make: () => string): string {
    for (let attempt = 0; attempt < 1000; attempt++) {
      const name = make();
      if (!this.used.has(name)) {
        this.used.add(name);
        return name;
      }
    }
    throw new Error('ran out of village names: widen the name parts in seed-names.ts');
  }
}

/** 东岙村第三网格: grids are numbered within their village in Chinese numerals. */
export function gridName(villageName: string, ordinal: number): string {
  return `${villageName}第${chineseNumber(ordinal)}网格`;
}

function chineseNumber(n: number): string {
  if (n <= 10) return DIGITS[n];
  if (n < 20) return `十${DIGITS[n - 10]}`;
  return `${DIGITS[Math.floor(n / 10)]}十${n % 10 ? DIGITS[n % 10] : ''}`;
}
