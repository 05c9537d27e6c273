"""中文文本。键与 en.py 相同；{名字} 由页面填入。"""

TEXT = {
    # 页面外框
    "app.language": "语言",
    "app.nav.start": "开始",
    "app.nav.lessons": "课程",
    "app.notice.ignored": "链接中有些设置无法识别，已恢复为默认值：{items}",
    "app.notice.more": "另有 {n} 项",
    "app.notice.cut": "只读取了前 {n:,} 个字符，其余部分已略去。",
    "app.notice.dropped": "这个链接太长，无法读取（最多 1,000 个设置、512 KB），页面已按默认设置打开。",
    "app.error": "本页出了点问题，已经重置。（{error}）",
    "code.title": "代码：生成本页内容的程序",
    "code.caption": "可直接运行（`python lesson.py`），已填入你现在看到的设置，打印出上面显示的数字。",

    # 页面标题
    "page.home": "首页",
    "page.activations": "神经元与激活函数",
    "page.xor": "反向传播：XOR",
    "page.digits": "手写数字：CNN",
    "page.digits_training": "亲手训练 CNN",
    "page.text": "读一句话：RNN",

    # 首页
    "home.title": "dlplay：摸得着的深度学习",
    "home.intro": (
        "每一页把教程《深度学习技术》中的一段示例代码，变成可以拖动、单步执行、亲手绘画的交互页面。"
        "每页都附有生成当前画面的代码，无需联网；所有设置都保存在链接里，"
        "老师可以把全班要看的画面直接分享出去。"
    ),
    "home.sections": "按教程章节浏览",
    "home.section.1": "§1 神经网络基础：神经元、激活函数",
    "home.section.2": "§2 反向传播：在 XOR 上训练网络",
    "home.section.3.1": "§3.1 卷积神经网络：手写数字识别（MNIST）",
    "home.section.3.1b": "§3.1 `model.fit`：亲手训练 CNN",
    "home.section.3.2": "§3.2 循环神经网络：文本分类",
    "home.howto": (
        "提示：可在侧边栏切换语言，或在链接后加上 `?lang=zh` / `?lang=en`。"
        "你拖动的每个滑块都会写进地址栏：复制地址即可分享当前画面。"
    ),

    # 第 1 课：神经元与激活函数
    "activations.title": "神经元与激活函数",
    "activations.intro": (
        "神经网络由神经元组成（教程 §1.1）。每个神经元对输入加权求和、加上偏置，"
        "再经过激活函数：$y = f(w_1 x_1 + w_2 x_2 + b)$。拖动滑块，看看每一部分起什么作用。"
    ),
    "activations.neuron.header": "1. 一个神经元",
    "activations.neuron.inputs": "输入",
    "activations.neuron.weights": "权重与偏置",
    "activations.neuron.activation": "激活函数 f",
    "activations.neuron.z": "加权和 z",
    "activations.neuron.y": "输出 y = f(z)",
    "activations.neuron.plane": "神经元在 (x₁, x₂) 平面上的输出 y",
    "activations.neuron.plane_caption": (
        "颜色表示每个输入点的输出 y；圆点是你的 (x₁, x₂)。虚线是 z = 0 的位置。"
        "权重决定这条线的方向和陡峭程度（输出沿 (w₁, w₂) 方向变化最快）；偏置让它平移。"
    ),
    "activations.neuron.point": "你的输入",
    "activations.neuron.boundary": "z = 0",
    "activations.functions.header": "2. 激活函数",
    "activations.functions.intro": (
        "没有激活函数，多层神经元叠在一起仍然只是一个线性映射：激活函数让网络能够“弯曲”，"
        "拟合复杂的关系。教程介绍了 Sigmoid、ReLU 和 Tanh；其余几个在今天也很常用。"
    ),
    "activations.functions.pick": "函数",
    "activations.functions.show_derivative": "显示导数 f′(x)",
    "activations.functions.x": "x",
    "activations.functions.fx": "f(x)",
    "activations.functions.dfx": "f′(x)",
    "activations.functions.flat": "平坦区：f′ < 0.05",
    "activations.functions.dead": "死区：f′ = 0",
    "activations.functions.flat_note": (
        "阴影部分是导数几乎为零的区域。输入落在这里的神经元几乎学不动，"
        "因为反向传播要乘以 f′。"
    ),
    "activations.functions.dead_note": (
        "阴影部分是 ReLU 的“死区”：x < 0 时输出为 0，导数也为 0，"
        "卡在这里的神经元完全得不到梯度。"
    ),
    "activations.functions.none_flat": "在这个范围内没有平坦区：梯度总能传过去。",
    "activations.name.sigmoid": "Sigmoid",
    "activations.name.relu": "ReLU",
    "activations.name.tanh": "Tanh",
    "activations.name.leaky_relu": "Leaky ReLU（斜率 0.2）",
    "activations.name.elu": "ELU",
    "activations.name.gelu": "GELU",
    "activations.name.softplus": "Softplus",
    "activations.name.silu": "SiLU（Swish）",
    "activations.tutorial.header": "3. 教程里的示例",
    "activations.tutorial.intro": "§1.2 的代码，以及它打印的内容（一字不差）：",
    "activations.tutorial.output": "输出",
    "activations.softmax.header": "4. Softmax：把分数变成概率",
    "activations.softmax.intro": (
        "分类器的最后一层为每个类别给出一个分数（logit）；softmax 把它们变成和为 1 的概率："
        "$p_i = e^{{z_i / T}} / \\sum_j e^{{z_j / T}}$。温度 T 小于 1 时结果更尖锐，大于 1 时更平缓。"
    ),
    "activations.softmax.logits": "Logits（用逗号分隔）",
    "activations.softmax.bad_logits": "“{value}” 不是 -50 到 50 之间的一组数字（最多 64 个）；显示默认的 logits。",
    "activations.softmax.temperature": "温度 T",
    "activations.softmax.class": "类别 {i}",
    "activations.softmax.probability": "概率",
    "activations.softmax.sum": "概率之和为 {total:.6f}。最大的是类别 {best}，概率 {p:.1%}。",
    "activations.chain.header": "5. 为什么很深的 Sigmoid 网络学不动",
    "activations.chain.intro": (
        "反向传播每经过一层就乘上一个导数。叠 n 层，传到第一层的梯度就是 n 个因子 "
        "$w \\cdot f'(z_i)$ 的乘积。Sigmoid 的导数最大只有 0.25，乘积迅速变小；"
        "ReLU 在输入为正时导数恰好为 1。这就是“梯度消失”，也是 ReLU 让深层网络得以训练的原因。"
    ),
    "activations.chain.depth": "层数 n",
    "activations.chain.x0": "输入 a₀",
    "activations.chain.weight": "每层的权重 w",
    "activations.chain.axis_layer": "第 k 层",
    "activations.chain.axis_gradient": "梯度大小 |∂aₖ/∂a₀|（对数坐标）",
    "activations.chain.after": "经过 {depth} 层后，梯度被乘以：Sigmoid {sigmoid:.2e}，Tanh {tanh:.2e}，ReLU {relu:.2e}。",
    "activations.chain.zero": "输入为负的 ReLU 层完全不传梯度（为 0）：从这一层起乘积都是 0。",
    # 第 2 课：XOR 上的反向传播
    "xor.title": "反向传播：在 XOR 上一步一步看",
    "xor.intro": (
        "XOR（异或）在两个输入恰好有一个为 1 时输出 1。教程 §2.2 用反向传播训练网络来学它："
        "前向计算、算出误差、用链式法则反向传播、沿梯度走一小步。单步执行，看清每一个数字。"
    ),
    "xor.model": "模型",
    "xor.model.tutorial": "教程原版：一个神经元",
    "xor.model.mlp": "加一个隐藏层：2 → H → 1",
    "xor.hidden": "隐藏神经元个数 H",
    "xor.activation": "隐藏层激活函数",
    "xor.loss": "损失函数",
    "xor.loss.mse": "均方误差",
    "xor.loss.bce": "二元交叉熵",
    "xor.init": "初始化",
    "xor.init.uniform": "均匀分布 −0.5…0.5（教程的做法）",
    "xor.init.xavier": "Glorot / Xavier 均匀",
    "xor.init.he": "He 均匀",
    "xor.lr": "学习率 η",
    "xor.seed": "随机种子",
    "xor.epochs": "运行到第 N 轮",
    "xor.tutorial.why": (
        "**教程的网络为什么学不会。** 它只有一个神经元、没有隐藏层，只能在输入平面上画一条直线，"
        "一侧为 1、另一侧为 0。XOR 的两个 1 在对角 [0,1] 和 [1,0]，两个 0 在另外两个角：没有一条直线能把它们分开。"
        "梯度下降只能做到一条直线所能做到的最好：把权重和偏置都推向 0，于是每个预测都变成 0.5。"
        "运行到第 10,000 轮，与教程代码打印的结果对照。然后切换到 **加一个隐藏层**：两个以上的神经元能画两条线，XOR 就解决了。"
    ),
    "xor.tutorial.prints": "教程代码在 {epoch:,} 轮后打印的内容（数字逐位相同）：",
    "xor.play": "▶ 播放",
    "xor.pause": "⏸ 暂停",
    "xor.step": "+{n}",
    "xor.run_to": "⏭ 运行到 {n:,}",
    "xor.reset": "↺ 重置",
    "xor.speed": "每帧轮数",
    "xor.speed_option": "每帧 {n} 轮",
    "xor.diverged": (
        "训练已停止：第 {epoch:,} 轮时，{quantity} 变成了 {value}（不是有限数）。学习率太大了。"
        "页面显示最后一个有限的状态（第 {last:,} 轮）。请调小学习率，或按“重置”。"
    ),
    "xor.saturated": (
        "输出神经元已经饱和：它的加权和太大，σ′(z) ≈ 0，几乎没有梯度能传回去，学习停止了。"
        "学习率为 {lr:g} 时步子迈得太大，把神经元推到了这里。"
        "（在这里学习率过大不会溢出成无穷大，而是让网络“冻住”。）请按“重置”，换一个更小的学习率。"
    ),
    "xor.epoch": "轮次",
    "xor.loss_now": "损失",
    "xor.predictions": "对 [0,0] [0,1] [1,0] [1,1] 的预测",
    "xor.solved": "学会 XOR 了吗？",
    "xor.solved_help": "四个预测与目标的误差都在 0.1 以内，就算学会了。",
    "xor.yes": "学会了 ✓",
    "xor.no": "还没有",
    "xor.chart.network": "网络结构（蓝色：正权重，橙色：负权重；粗细：大小）",
    "xor.chart.boundary": "输入平面上的输出，以及 XOR 的四个点",
    "xor.chart.loss": "损失",
    "xor.chart.weights": "每个权重和偏置随训练的变化",
    "xor.chart.hidden": "每个隐藏神经元在输入平面上的输出",
    "xor.ledger.header": "反向传播账本",
    "xor.ledger.intro": (
        "用当前权重，下一步要计算的每一个数字。前向：每个神经元的加权和 z 与激活值。"
        "反向：误差，再按链式法则算出每个神经元的 δ = ∂L/∂z，然后是对四个输入求和后的梯度，以及这一步的改变量 η·梯度。"
    ),
    "xor.ledger.while_playing": "网络训练播放时，账本和梯度检验暂停更新：按“暂停”或单步执行，就能看到每一个数字。",
    "xor.ledger.sample": "跟踪一个输入",
    "xor.ledger.forward": "前向",
    "xor.ledger.backward": "反向",
    "xor.ledger.all_inputs": "全部四个输入：加权和 z、激活值和 δ",
    "xor.ledger.gradients": "四个输入的总梯度，以及下一步的改变量（η = {lr:g}）",
    "xor.ledger.parameter": "参数",
    "xor.ledger.value": "当前值",
    "xor.ledger.next": "更新后",
    "xor.check.header": "梯度检验",
    "xor.check.intro": (
        "手写的反向传播对吗？把每个参数加减 10⁻⁶，测量损失的变化（有限差分），"
        "再与反向传播算出的梯度比较。"
    ),
    "xor.check.analytic": "反向传播",
    "xor.check.numeric": "有限差分",
    "xor.check.relative": "相对误差",
    "xor.check.verdict": "第 {epoch:,} 轮时最大的相对误差：{worst:.1e}。小于约 1e-6 即说明两者一致。",
    # 第 3a 课：手写数字
    "digits.title": "写一个数字，看 CNN 怎么认",
    "digits.intro": (
        "教程 §3.1 用 MNIST（七万个手写数字）训练卷积神经网络。用鼠标、手写笔或手指亲手写一个："
        "边写网络边识别。"
    ),
    "digits.model": "模型",
    "digits.model.ours": "我们的（数据增强）· 99.6%",
    "digits.model.tutorial": "教程原版 · 98.5%",
    "digits.model.help": "在 MNIST 一万张测试图片上的准确率。我们的模型还用随机变化过的图片训练过（笔画变粗变细、平移、旋转），所以更认得手写的数字。",
    "digits.step.crop": "裁剪到笔迹",
    "digits.step.fit": "缩放到 20 像素",
    "digits.step.centre": "质心居中",
    "digits.inside": "网络内部",
    "digits.pad.undo": "撤销",
    "digits.pad.clear": "清空",
    "digits.pad.canvas": "画布：写一个数字，写大一些",
    "digits.drawing.garbled": "笔迹传过来时出了错，没有识别。请点“清空”后重写。",
    "digits.drawing.too_much": "一个数字画得太多了。请点“清空”后只写一个数字。",
    "digits.prediction": "预测",
    "digits.sure": "把握 {p:.0%}",
    "digits.digit": "数字",
    "digits.probability": "概率",
    "digits.empty": "请在黑色方框里写一个数字。",
    "digits.reason.empty": "还没有写任何东西。",
    "digits.reason.blob": "这看起来像一个点或一块涂满的形状，不像数字。清空画布，写一个数字吧。",
    "digits.reason.unsure": "不确定这是不是数字：最可能是 {guess}，但把握只有 {p:.0%}。试着写得更大、更清楚。",
    "digits.steps.header": "从你的笔迹到网络的输入",
    "digits.steps.intro": (
        "MNIST 的数字就是这样制作的：裁剪到笔迹、缩放到长边 20 像素，再放进 28 × 28 的方框并让质心居中。"
        "在上面关掉某个步骤，看看预测如何变化：直接把画布缩小，手写数字只能认对大约三分之二。"
    ),
    "digits.steps.raw": "你的笔迹",
    "digits.steps.cropped": "裁剪后",
    "digits.steps.scaled": "缩放后",
    "digits.steps.placed": "放入 28 × 28",
    "digits.steps.final": "居中：网络的输入",
    "digits.compare": "网络认为是 {digit} 的真实 MNIST 测试数字：",
    "digits.inside.header": "网络内部",
    "digits.inside.filters": "第一层的 32 个卷积核（每个 3 × 3，亮 = 正权重）：每个都在寻找一种小图案，比如边缘或拐角。",
    "digits.inside.maps": "{layer}：{shape}，每个卷积核在你的笔迹中找到了什么（越亮越强）",
    "digits.inside.dense": "{layer}：{units} 个神经元，其中 {active} 个被你的笔迹激活（大于 0）",
    "digits.inside.saliency": "显著图：最能改变 {digit} 得分的像素（红色），也就是网络的“证据”。",
    # 第 4 课：RNN 读句子
    "text.title": "输入一句话，看 RNN 怎么读",
    "text.intro": (
        "循环神经网络（教程 §3.2）一次读一个词，并把“记忆”（隐藏状态）从一个词传到下一个词。"
        "输入一句中文或英文，看看记忆怎样变化，以及读到每个词时它给出的情感：试试“好”和“不好”。"
    ),
    "text.input": "你的句子",
    "text.placeholder": "例如：房间不大，但是很干净。",
    "text.example": "房间有点小，但是服务非常好，下次还会再来。",
    "text.examples": "试试：“不好” · “一点也不差” · “not good” · “the room was clean”",
    "text.lang": "语言",
    "text.lang.auto": "自动识别",
    "text.lang.en": "English",
    "text.lang.zh": "中文",
    "text.cell": "循环单元",
    "text.cell.best": "最佳",
    "text.cell.simplernn": "SimpleRNN",
    "text.cell.lstm": "LSTM",
    "text.cell.gru": "GRU",
    "text.sentiment": "情感",
    "text.label.positive": "正面",
    "text.label.negative": "负面",
    "text.metric_help": "模型对这个判断的把握。下面是读到每个词元之后的 P(正面)。",
    "text.read_by": "由{language} {cell} 模型读取：P(正面) = {p:.3f}。",
    "text.empty": "在上面输入一句话，模型会边输入边读。",
    "text.no_tokens": "这段文字里没有可读的内容：模型无法从中切分出词或字。",
    "text.note.all_oov": "这些词都不在模型的词表里，它只能猜。",
    "text.note.truncated": "文字太长：模型只读前面的部分（见下方）。",
    "text.note.mixed": "中文里夹着英文：中文模型把每个英文单词当作一个词元，大多不认识。",
    "text.memory.header": "记忆在工作",
    "text.memory.intro": (
        "读到每个词元后，如果句子在这里结束，模型会给出的情感。"
        "下面是隐藏状态：每列是一个词元，每行是一个记忆单元（红色为正，蓝色为负）。"
    ),
    "text.memory.positive": "到目前为止的 P(正面)",
    "text.hidden.title": "每个词元之后的隐藏状态",
    "text.hidden.axis": "记忆单元",
    "text.tokens.header": "模型看到的内容",
    "text.tokens.intro": "英文按词切分，中文按字切分，每个词元在词表中对应一个编号；不认识的（OOV）共用同一个编号。",
    "text.tokens.token": "词元",
    "text.tokens.oov": "未登录词（OOV）",
    "text.tokens.after": "读到它之后的 P(正面)",
    "text.sequence": "填充后交给模型的序列（{maxlen} 个编号；前面的 0 是填充）：",
    "text.compare.header": "三种单元，同一句话",
    "text.compare.caption": "SimpleRNN 是教程里用的单元；LSTM 和 GRU 多了“门”，决定记住什么、忘掉什么，因此更能把“不”带过好几个词。",
    "text.tutorial.header": "教程里的示例：两句话",
    "text.tutorial.intro": (
        "教程用两句话训练 `Embedding(1000, 32)` → `SimpleRNN(32)` → `Dense(1, sigmoid)`，"
        "`maxlen=5`，5 轮，批大小 2。修改或添加句子，训练，然后比较它在学过的句子和新句子上的表现。"
    ),
    "text.tutorial.sentence": "句子",
    "text.tutorial.label": "标签（1 正面，0 负面）",
    "text.tutorial.new": "用来测试的新句子，每行一句",
    "text.tutorial.epochs": "轮数",
    "text.tutorial.seed": "随机种子",
    "text.tutorial.train": "训练",
    "text.tutorial.training": "训练中……（第一次还要加载 TensorFlow）",
    "text.tutorial.no_pairs": "请至少添加一个标签为 0 或 1 的句子。",
    "text.tutorial.accuracy": "在自己的训练句子上的准确率",
    "text.tutorial.epoch": "轮次",
    "text.tutorial.kind": "训练时见过吗？",
    "text.tutorial.seen": "见过",
    "text.tutorial.unseen": "没有，新的",
    "text.tutorial.output": "输出（大于 0.5 为正面）",
    "text.tutorial.overfitting": (
        "这就是过拟合。只有两句话时，模型可以把它们背下来，准确率达到 1.0，"
        "却没有学到任何关于情感的东西：对新句子的输出毫无意义。"
        "有用的模型需要大量样本（上面的模型学了几万条）。"
    ),
    # 第 3b 课：/digits-training
    "digits_training.title": "亲手训练 CNN",
    "digits_training.intro": (
        "教程 §3.1 的最后一行是 `model.fit(x_train, y_train, epochs=5, batch_size=32, ...)`，网络就这样学会了认数字。"
        "在这里按下“训练”，看这一行代码如何发生：损失一批一批地下降，准确率一批一批地上升。"
        "然后看看它还认错哪些数字，再把你的模型带到手写页去试。"
    ),
    "digits_training.data": "1 · 数据",
    "digits_training.data.source": "训练数据（MNIST：60,000 张 + 10,000 张测试图片）",
    "digits_training.data.sample": "内置",
    "digits_training.data.upload": "我的文件",
    "digits_training.data.upload_label": "你的数据（.npz）",
    "digits_training.data.upload_help": "keras.datasets.mnist 格式的 .npz 文件：x_train (n, 28, 28) uint8，y_train (n,) 为数字 0–9，x_test、y_test 同样。",
    "digits_training.data.uploaded": "{name}：{n:,} 张训练图片，{m:,} 张测试图片。",
    "digits_training.data.upload_first": "请先上传一个 .npz 文件，或选择内置的 MNIST。",
    "digits_training.images": "训练图片数",
    "digits_training.images_help": "用多少张训练图片来学习。越多越慢，通常也认得越准。教程用全部 60,000 张。",
    "digits_training.images_all": "这个数据集有 {n} 张训练图片，全部使用。",
    "digits_training.model": "2 · 模型",
    "digits_training.arch": "网络",
    "digits_training.arch.tutorial": "教程的网络",
    "digits_training.arch.custom": "自己设计",
    "digits_training.conv": "卷积块数",
    "digits_training.conv_help": "每块是一个卷积层（ReLU）加一个 2 × 2 最大池化；每块的滤波器数是上一块的两倍。",
    "digits_training.filters": "滤波器数",
    "digits_training.kernel": "卷积核",
    "digits_training.dense": "全连接神经元",
    "digits_training.dropout": "Dropout",
    "digits_training.dropout_help": "训练时随机关掉这个比例的特征，让网络不能只依赖其中某一个。",
    "digits_training.layers": "各层：共 {n} 个权重",
    "digits_training.layer": "层",
    "digits_training.output": "输出",
    "digits_training.params": "权重数",
    "digits_training.fit": "3 · model.fit",
    "digits_training.epochs": "轮数（epochs）",
    "digits_training.batch": "批大小（batch size）",
    "digits_training.optimizer": "优化器",
    "digits_training.optimizer.adam": "Adam",
    "digits_training.optimizer.sgd": "SGD",
    "digits_training.optimizer.rmsprop": "RMSprop",
    "digits_training.lr": "学习率",
    "digits_training.lr_help": "Adam 常用 0.001。试试 1 或 100，看训练如何失败。",
    "digits_training.train": "训练",
    "digits_training.stop": "停止",
    "digits_training.cancel": "退出排队",
    "digits_training.bad_setting": "这个设置无法训练：{key} = {value}。",
    "digits_training.queue.full": "现在排队训练的人太多了，请过一分钟再试。",
    "digits_training.queue.place": "正在排队：你排第 {place} 位。{running} 个在训练，{waiting} 个在等待。",
    "digits_training.watch": "看它学习",
    "digits_training.none_yet": "选好设置，按“训练”。网络学习时，曲线会出现在这里。",
    "digits_training.phase.starting": "正在开始：搭建网络……",
    "digits_training.phase.evaluating": "正在用它从没见过的一万张图片测试网络……",
    "digits_training.progress": "第 {epoch}/{epochs} 轮 · {seen}/{total} 张图片 · 每秒 {rate} 张{left}",
    "digits_training.left": " · 还剩 {s} 秒",
    "digits_training.stopping": "这一批结束后停止……",
    "digits_training.curve.train": "训练（本轮到目前为止的平均）",
    "digits_training.curve.val": "验证（300 张测试图片）",
    "digits_training.chart.loss": "损失（越低越好）",
    "digits_training.chart.accuracy": "准确率",
    "digits_training.epoch": "轮",
    "digits_training.results": "它学会了什么",
    "digits_training.stopped": "你在 {seen} 张图片后停止了训练。模型保留了停止那一刻的样子。",
    "digits_training.diverged": "训练发散了：学习率 {lr:g} 下损失变成了 NaN（不是数）。步子迈得太大了。请选一个小一点的学习率再训练。",
    "digits_training.failed": "训练失败了。请换个设置试试。",
    "digits_training.dropped": "因为页面没有打开，这次训练已从队列中移除。",
    "digits_training.learned_nothing": "它什么也没学会：10% 就是瞎猜。学习率 {lr:g} 太大，网络一步跳到了梯度消失的地方。试试 0.001。",
    "digits_training.test_accuracy": "测试准确率",
    "digits_training.test_help": "在 {n} 张官方 MNIST 测试图片上，网络训练时从没见过它们。",
    "digits_training.mistakes": "认错的测试图片",
    "digits_training.time": "训练用时",
    "digits_training.confusion": "它把哪些数字弄混了",
    "digits_training.confusion.hover": "%{y} 被认成 %{x}：%{text} 次",
    "digits_training.confusion_help": "行：真实的数字。列：网络的回答。对角线（答对的）留空，让错误更醒目。",
    "digits_training.guess": "网络的回答",
    "digits_training.truth": "真实数字",
    "digits_training.gallery": "它最有把握的错误",
    "digits_training.gallery_help": "有些人也难认；有些就是认错了。",
    "digits_training.gallery.item": "{truth} → {guess}（{p:.0%}）",
    "digits_training.mine": "你的模型",
    "digits_training.mine.trained": "在这里训练，测试集上 {accuracy:.1%}",
    "digits_training.mine.uploaded": "从 {name} 上传，测试集上 {accuracy:.1%}",
    "digits_training.mine.none": "训练一个模型，或上传一个 .keras 文件，它就是你的了：只有你能看到。",
    "digits_training.mine.now": "你的模型：**{name}**。只有你能看到它。",
    "digits_training.mine.try": "到手写页给它写数字",
    "digits_training.mine.download": "下载（.keras）",
    "digits_training.mine.upload": "上传模型（.keras）",
    "digits_training.mine.upload_help": "Keras 3 的 .keras 文件，不超过 {mb} MB，输入 28 × 28 图片，输出 10 个概率。以安全模式加载：文件里的代码不会运行。",
    "digits_training.upload.too_big": "文件太大了（{detail}）。",
    "digits_training.upload.not_npz": "这不是 .npz 文件。请用 numpy.savez 保存数组。",
    "digits_training.upload.keys": "文件缺少数组：{detail}。需要 x_train、y_train、x_test 和 y_test。",
    "digits_training.upload.shape": "数组形状不对：{detail}。",
    "digits_training.upload.dtype": "数组类型不对：{detail}。",
    "digits_training.upload.labels": "标签必须是数字 0 到 9：{detail}。",
    "digits_training.upload.not_keras": "这不是 .keras 模型文件。",
    "digits_training.upload.unreadable": "Keras 无法安全地加载这个模型（{detail}）。",
    "digits_training.upload.input_shape": "这个模型不接受 28 × 28 图片：它的输入是 {detail}。",
    "digits_training.upload.output_shape": "这个模型不输出 10 个数字的概率：它的输出是 {detail}。",
    "digits_training.upload.bomb": "这个文件要求的资源远超一个数字识别模型所需，因此没有打开它（{detail}）。",
    "digits_training.upload.not_finite": "这个模型含有非有限的数（NaN 或无穷大）：{detail}。",
    # /digits：你自己的模型，以及教它
    "digits.mine.use": "使用我的模型（{name}）",
    "digits.mine.help": "你训练、教过或上传的模型。只有你能看到；其他人用的仍是内置模型。",
    "digits.mine.taught": "学过你的 {n} 个数字，测试集上 {accuracy:.1%}",
    "digits.teach.title": "认错了？教教它",
    "digits.teach.intro": "告诉它你写的是哪个数字，保留这张图。攒上几张（五张是个好开始）后教它：模型的一个副本会学习你的笔迹（稍加平移和旋转），同时混入 2,000 个 MNIST 数字，免得它忘了别的。",
    "digits.teach.label": "它不是 {guess}，而是：",
    "digits.teach.keep": "保留这张图",
    "digits.teach.go": "教模型（{n} 张图）",
    "digits.teach.forget": "全部清除",
    "digits.teach.working": "正在用你的 {n} 张图教模型的副本……",
    "digits.teach.busy": "训练队列正忙，请过一分钟再试。",
    "digits.teach.result": "用时 {s} 秒。你的数字（按你给的标签）：模型之前的回答 → 之后的回答。",
    "digits.teach.accuracy": "教过之后的 MNIST 测试准确率",
    "digits.teach.accuracy_help": "教之前：{before:.2%}。教它不应该让它忘掉原来认得的数字。",
}
